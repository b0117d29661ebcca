/* ---- typed answers: numbers in the learner's script, text compared without case ----
   The same rules as builder/answers.py (tests/answer_cases.json holds the cases both must
   agree on). Numbers: Arabic-Indic and Eastern Arabic-Indic digits, the Arabic decimal (٫)
   and group (٬) separators, spaces and bidirectional marks ignored; a lone "," or "." is
   the decimal mark unless three digits follow it and it is not the language's own mark
   ("1,500" in English, "1.500" in Spanish); with both, the last one is. Text: NFC, spaces
   collapsed; unless case-sensitive, without case, Arabic diacritics and tatweel. Uses
   C.decimal (the course language's decimal mark, from assets/course.js) in the bundle. */

var INVISIBLE = /[\u061c\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/g;
function parseNumber(text, decimal) {
  var t = String(text).replace(INVISIBLE, "").normalize("NFKC").replace(/[\u0660-\u0669\u06f0-\u06f9\u066b\u066c\u2212\ufe63\uff0d]/g, function (c) {
    var k = c.charCodeAt(0);
    return k === 0x66b ? "D" : k === 0x66c ? "G" : k > 0x6ff ? "-" : String(k & 15);
  }).replace(/\s+/g, "");
  var m = /^([-+]?)([0-9.,DG]+)$/.exec(t);
  if (!m) return NaN;
  var body = m[2], whole = body, frac = "", cut = body.indexOf("D");
  if (cut >= 0) { whole = body.slice(0, cut); frac = body.slice(cut + 1); }
  else {
    var mark = decimalOf(body.replace(/G/g, ""), decimal);
    if (mark === "?") return NaN;
    if (mark) { cut = body.lastIndexOf(mark); whole = body.slice(0, cut); frac = body.slice(cut + 1); }
  }
  var groups = whole.replace(/[.,]/g, "G");
  if (!/^[0-9]*$/.test(frac) || (!groups && !frac)) return NaN;
  if (groups.indexOf("G") >= 0 && !/^[0-9]{1,3}(G[0-9]{3})+$/.test(groups)) return NaN;
  return parseFloat(m[1] + (groups.replace(/G/g, "") || "0") + "." + (frac || "0"));
}
function decimalOf(body, decimal) {
  var commas = body.split(",").length - 1, points = body.split(".").length - 1;
  if (commas && points) {
    var last = body.lastIndexOf(",") > body.lastIndexOf(".") ? "," : ".";
    return body.split(last).length === 2 ? last : "?";
  }
  if (!commas && !points) return "";
  var mark = commas ? "," : ".";
  if (commas + points > 1) return "";
  if (mark !== decimal && /^[0-9]{1,3}[.,][0-9]{3}$/.test(body)) return decimal ? "" : "?";
  return mark;
}
function normText(text, caseSensitive) {
  var t = String(text).normalize("NFC").replace(INVISIBLE, "").replace(/\s+/g, " ").trim();
  return caseSensitive ? t : t.replace(/[\u0640\u064b-\u065f\u0670]/g, "").toUpperCase().toLowerCase().normalize("NFC");
}
function toNumber(text) { return parseNumber(text, C.decimal || "."); }
/* A score as the learner reads it: "87,5" in French and Arabic, "87.5" in English. */
function shownNumber(x) { return dec(x).replace(".", C.decimal || "."); }
