/**
 * For the byte scanner of foreign dumps (rawLiterals.ts): which statement the bytes belong to, by
 * complete.c's automaton (sqlComplete.ts), and so whether a string literal there is a value of a
 * row — a string among the VALUES of an INSERT, not a blob — whose bytes may be rewritten. An
 * INSERT inside a CREATE TRIGGER body is part of the CREATE, whose text SQLite keeps as written.
 */
import { keywordToken, START_STATE, stepStatement, Token } from './sqlComplete.ts';

/**
 * complete.c's state inside an ordinary statement: only a semicolon leaves it, so there the words
 * need not be read as keywords.
 */
const NORMAL_STATE = stepStatement(START_STATE, Token.Other);
/** The words that matter: complete.c's keywords, and those telling the values of an INSERT. */
const KEYWORDS = ['create', 'trigger', 'temp', 'temporary', 'end', 'explain', 'insert', 'values'];
/** Enough of a word to tell those (TEMPORARY is the longest). */
const WORD_KEEP = 9;

/** The keyword (lower case) the first `length` bytes of `word` spell in any case, or ''. */
function keywordOf(word: Uint8Array, length: number): string {
  if (length > WORD_KEEP) return '';
  next: for (const keyword of KEYWORDS) {
    if (keyword.length !== length) continue;
    // Keywords are letters: OR-ing 0x20 lowers a letter and turns no other identifier byte into one.
    for (let at = 0; at < length; at++) if ((word[at]! | 0x20) !== keyword.charCodeAt(at)) continue next;
    return keyword;
  }
  return '';
}

export class StatementFollower {
  /** complete.c's state, START between statements; the scan starts at a statement boundary. */
  private statement = START_STATE;
  /** The current statement is an INSERT, and its VALUES keyword has been seen. */
  private insert = false;
  private values = false;
  /** The current word: its first WORD_KEEP bytes when it may matter, its length, its first byte. */
  private readonly word = new Uint8Array(WORD_KEEP);
  private keepWord = false;
  private wordLength = 0;
  private wordFirst = 0;
  /** The last token was the word x: a quote now starts a blob literal. */
  private afterX = false;
  /** The literal being read is a blob's. */
  private blob = false;

  /** A word starts with the byte `first`. */
  beginWord(first: number): void {
    this.wordLength = 0;
    this.wordFirst = first;
    // Words are only read where one can be a keyword that matters (not inside an ordinary
    // statement, past the VALUES of an INSERT): the rows of a dump are mostly such words.
    this.keepWord = this.statement !== NORMAL_STATE || (this.insert && !this.values);
  }

  /** More bytes of the current word: `chunk[from..to)`. */
  wordPart(chunk: Uint8Array, from: number, to: number): void {
    if (this.keepWord) {
      for (let at = from, kept = this.wordLength; at < to && kept < WORD_KEEP; at++) this.word[kept++] = chunk[at]!;
    }
    this.wordLength += to - from;
  }

  endWord(): void {
    const word = this.keepWord ? keywordOf(this.word, this.wordLength) : '';
    this.token(keywordToken(word), word);
    this.afterX = this.wordLength === 1 && (this.wordFirst | 0x20) === 0x78;
  }

  /** A string literal opens: X'..' (the x right before the quote) is a blob. */
  beginLiteral(): void {
    this.blob = this.afterX;
  }

  /** The literal being read is a value of a row. */
  rowValue(): boolean {
    return this.insert && this.values && !this.blob;
  }

  /** Feeds complete.c a token other than a word (`word`: the keyword a word spelled, or ''). */
  token(token: Token, word = ''): void {
    if (this.statement === START_STATE && token !== Token.Space && token !== Token.Semi) {
      this.insert = word === 'insert';
      this.values = false;
    } else if (this.insert && word === 'values') this.values = true;
    this.afterX = false;
    this.statement = stepStatement(this.statement, token);
  }
}
