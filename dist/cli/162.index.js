import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";
export const id = 162;
export const ids = [162];
export const modules = {

/***/ 162:
/***/ ((module, __unused_webpack_exports, __webpack_require__) => {


const Database = __webpack_require__(909)(() => __webpack_require__(476), false);
Database.SqliteError = __webpack_require__(483);
module.exports = Database;


/***/ }),

/***/ 476:
/***/ ((module, __unused_webpack_exports, __webpack_require__) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)(__webpack_require__.ab + "prebuilds/linuxmusl-x64.node")

/***/ })

};
