import { createRequire as __WEBPACK_EXTERNAL_createRequire } from "module";
export const id = 411;
export const ids = [411];
export const modules = {

/***/ 792:
/***/ ((module, __unused_webpack_exports, __webpack_require__) => {


const Database = __webpack_require__(909)(() => __webpack_require__(238), false);
Database.SqliteError = __webpack_require__(483);
module.exports = Database;


/***/ }),

/***/ 238:
/***/ ((module, __unused_webpack_exports, __webpack_require__) => {

module.exports = __WEBPACK_EXTERNAL_createRequire(import.meta.url)(__webpack_require__.ab + "prebuilds/linuxmusl-arm64.node")

/***/ })

};
