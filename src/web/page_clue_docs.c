/* page_clue_docs.c: the documents of a clue — the 移交函 as a printable
** page and as a DOCX (written with libzip: the three parts Word needs),
** and attachments, sealed at rest (SM4-CTR + HMAC-SM3, auth/crypto.h)
** and bound to their clue and name, downloaded only by those who may see
** the clue's content.  Audit summaries name the clue's code, never the
** content or a file's name (it may describe the case). */
#include <stdlib.h>
#include <zip.h>

#include "auth/crypto.h"
#include "domain/org.h"
#include "web/html.h"
#include "web/page_clues.h"
#include "web/pages.h"

#define ATTACH_MAX (20u << 20) /* bytes of one attachment */
#define ATTACH_NAME_MAX 200    /* bytes of its name */

/* The clue of the path with full access, or -1 after rendering the
** error (404 when not visible; 403 with only the status view). */
static int full_clue(Request *req, Response *resp, ClueViewer *v, Clue *c) {
  if (cw_viewer(req, resp, v) != 0 || cw_clue_of_path(req, resp, v, c) != 0)
    return -1;
  if (c->full) return 0;
  cw_note(req, c, "无权查看内容");
  web_error(req, resp, 403, "forbidden", "您只能查看该线索的办理状态", NULL);
  clue_clear(c);
  return -1;
}

/* What the letter says, shared by the page and the DOCX. */
typedef struct Letter {
  char *title, *number, *to, *from, *date, *intro, *persons;
} Letter;

static void letter_load(Request *req, const ClueViewer *v, const Clue *c,
                        Letter *l) {
  OrgViewer ov = {v->who, v->scope};
  OrgJur j;
  Buf to = BUF_INIT, from = BUF_INIT, ps = BUF_INIT, intro = BUF_INIT;
  int have_j = org_jur_get(req->db, &ov, c->jurisdiction_code, &j) == DB_OK;
  if (*c->destination_name)
    buf_puts(&to, c->destination_name);
  else if (str_eq(c->destination, "commission") && have_j)
    buf_puts(&to, j.commission_name);
  else if (*c->destination)
    buf_puts(&to, clue_code_label(clue_destinations, n_clue_destinations,
                                  c->destination));
  else
    buf_puts(&to, "（移交去向待定）");
  buf_puts(&from, have_j && *j.inspection_office_name
                      ? j.inspection_office_name
                      : "巡察工作领导小组办公室");
  for (size_t i = 0; i < c->n_persons_loaded; i++) {
    const CluePerson *p = &c->persons[i];
    buf_printf(&ps, "%s%s%s%s", i ? "；" : "", p->name, *p->post ? "，" : "",
               p->post);
  }
  buf_printf(&intro,
             "经巡察工作领导小组批准，现将%s中发现的%s有关问题线索移交你单位，"
             "请按照有关规定处置，并按期反馈办理情况。",
             c->round_title, c->unit_name);
  l->title = xstrdup("关于移交问题线索的函");
  l->number = xstrdup(*c->transfer_no ? c->transfer_no
                                      : "（审批通过后自动编号）");
  l->to = buf_detach(&to);
  l->from = buf_detach(&from);
  l->date = xstrdup(*c->transferred_on ? c->transferred_on : "（未移交）");
  l->intro = buf_detach(&intro);
  l->persons = ps.len ? buf_detach(&ps) : xstrdup("—");
  if (have_j) org_jur_clear(&j);
}

static void letter_clear(Letter *l) {
  free(l->title);
  free(l->number);
  free(l->to);
  free(l->from);
  free(l->date);
  free(l->intro);
  free(l->persons);
}

/* ROUTE: GET /clues/{id}/letter — the printable 移交函 (clue.letter). */
void page_clue_letter(Request *req, Response *resp) {
  ClueViewer v;
  Clue c;
  Letter l;
  Buf *b = &resp->body;
  if (full_clue(req, resp, &v, &c) != 0) return;
  cw_note(req, &c, "查看移交函");
  letter_load(req, &v, &c, &l);
  page_begin(req, resp, "移交函", "clues");
  html_printf(b,
              "<p class=\"noprint\"><a href=\"/clues/%lld\">返回线索 %s</a> · "
              "<a href=\"/clues/%lld/letter.docx\">下载 Word 文档</a> · "
              "使用浏览器的“打印”即可打印本函。</p>\n"
              "<article class=\"letter\" id=\"letter\">\n"
              "<p class=\"secret\">秘密</p>\n<h2>%s</h2>\n"
              "<p class=\"docno\" id=\"letter-no\">%s</p>\n"
              "<p class=\"to\">%s：</p>\n<p class=\"body\">%s</p>\n"
              "<dl class=\"props\"><dt>线索编号</dt><dd>%s</dd>"
              "<dt>被巡察单位</dt><dd>%s</dd><dt>被反映人</dt><dd>%s</dd>"
              "<dt>问题摘要</dt><dd>%s</dd></dl>\n"
              "<h3>主要事实</h3>\n<div class=\"facts\">%s</div>\n"
              "<p class=\"sign\">%s<br>%s</p>\n</article>\n",
              (long long)c.id, c.code, (long long)c.id, l.title, l.number, l.to,
              l.intro, c.code, c.unit_name, l.persons, c.summary,
              cw_s(c.facts), l.from, l.date);
  page_end(req, resp);
  letter_clear(&l);
  clue_clear(&c);
}

/* ---- DOCX ---- */

/* A paragraph of document.xml; text loses control characters (not
** allowed in XML 1.0) and is escaped by html_printf. */
static void docx_p(Buf *x, const char *text) {
  Buf t = BUF_INIT;
  for (const char *p = text; *p; p++)
    if ((unsigned char)*p >= 0x20 || *p == '\t') buf_putc(&t, *p);
  html_printf(x,
              "<w:p><w:r><w:rPr><w:rFonts w:eastAsia=\"宋体\"/></w:rPr>"
              "<w:t xml:space=\"preserve\">%s</w:t></w:r></w:p>",
              buf_str(&t));
  buf_release(&t);
}

/* Paragraphs, one per line of text. */
static void docx_lines(Buf *x, const char *text) {
  const char *s = text;
  while (*s) {
    const char *e = strchr(s, '\n');
    size_t n = e ? (size_t)(e - s) : strlen(s);
    char *line = xstrndup(s, n);
    docx_p(x, line);
    free(line);
    s += n + (e ? 1 : 0);
  }
}

static void docx_heading(Buf *x, const char *text) {
  html_printf(x,
              "<w:p><w:pPr><w:jc w:val=\"center\"/></w:pPr><w:r><w:rPr><w:b/>"
              "<w:sz w:val=\"36\"/></w:rPr><w:t>%s</w:t></w:r></w:p>",
              text);
}

static void docx_right(Buf *x, const char *text) {
  html_printf(x,
              "<w:p><w:pPr><w:jc w:val=\"right\"/></w:pPr><w:r>"
              "<w:t>%s</w:t></w:r></w:p>",
              text);
}

/* Write the three parts into a zip in memory; 0 and *out, or -1. */
static int docx_build(const Buf *doc, Buf *out) {
  static const char types[] =
      "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
      "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/"
      "content-types\"><Default Extension=\"rels\" ContentType=\"application/"
      "vnd.openxmlformats-package.relationships+xml\"/><Default Extension="
      "\"xml\" ContentType=\"application/xml\"/><Override PartName=\"/word/"
      "document.xml\" ContentType=\"application/vnd.openxmlformats-"
      "officedocument.wordprocessingml.document.main+xml\"/></Types>";
  static const char rels[] =
      "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
      "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/"
      "relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas."
      "openxmlformats.org/officeDocument/2006/relationships/officeDocument\" "
      "Target=\"word/document.xml\"/></Relationships>";
  zip_error_t zerr;
  zip_error_init(&zerr);
  zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &zerr);
  int rc = -1;
  if (!src) goto done;
  zip_source_keep(src);
  zip_t *za = zip_open_from_source(src, ZIP_TRUNCATE, &zerr);
  if (!za) goto done;
  const struct { const char *name, *data; size_t len; } parts[] = {
      {"[Content_Types].xml", types, sizeof types - 1},
      {"_rels/.rels", rels, sizeof rels - 1},
      {"word/document.xml", buf_str(doc), doc->len}};
  for (size_t i = 0; i < JX_COUNT(parts); i++) {
    zip_source_t *s = zip_source_buffer(za, parts[i].data, parts[i].len, 0);
    if (!s || zip_file_add(za, parts[i].name, s, ZIP_FL_ENC_UTF_8) < 0) {
      zip_source_free(s);
      zip_discard(za);
      goto done;
    }
  }
  if (zip_close(za) != 0) {
    zip_discard(za);
    goto done;
  }
  if (zip_source_open(src) != 0) goto done;
  char chunk[8192];
  zip_int64_t got;
  while ((got = zip_source_read(src, chunk, sizeof chunk)) > 0)
    buf_append(out, chunk, (size_t)got);
  zip_source_close(src);
  rc = got < 0 ? -1 : 0;
done:
  if (src) zip_source_free(src);
  zip_error_fini(&zerr);
  return rc;
}

/* ROUTE: GET /clues/{id}/letter.docx (clue.letter) */
void page_clue_letter_docx(Request *req, Response *resp) {
  ClueViewer v;
  Clue c;
  Letter l;
  Buf doc = BUF_INIT, zip = BUF_INIT, line = BUF_INIT;
  if (full_clue(req, resp, &v, &c) != 0) return;
  cw_note(req, &c, "下载移交函（Word）");
  letter_load(req, &v, &c, &l);
  html_raw(&doc, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>"
                 "\n<w:document xmlns:w=\"http://schemas.openxmlformats.org/"
                 "wordprocessingml/2006/main\"><w:body>");
  docx_p(&doc, "秘密");
  docx_heading(&doc, l.title);
  docx_right(&doc, l.number);
  buf_printf(&line, "%s：", l.to);
  docx_p(&doc, buf_str(&line));
  docx_p(&doc, l.intro);
  buf_clear(&line);
  buf_printf(&line, "线索编号：%s", c.code);
  docx_p(&doc, buf_str(&line));
  buf_clear(&line);
  buf_printf(&line, "被巡察单位：%s", c.unit_name);
  docx_p(&doc, buf_str(&line));
  buf_clear(&line);
  buf_printf(&line, "被反映人：%s", l.persons);
  docx_p(&doc, buf_str(&line));
  buf_clear(&line);
  buf_printf(&line, "问题摘要：%s", c.summary);
  docx_p(&doc, buf_str(&line));
  docx_p(&doc, "主要事实：");
  docx_lines(&doc, c.facts);
  docx_right(&doc, l.from);
  docx_right(&doc, l.date);
  html_raw(&doc, "<w:sectPr/></w:body></w:document>");
  if (docx_build(&doc, &zip) != 0) {
    web_error(req, resp, 500, "export_failed", "生成 Word 文档失败，请稍后重试",
              NULL);
  } else {
    char disp[96];
    snprintf(disp, sizeof disp, "attachment; filename=\"letter-%s.docx\"",
             c.code);
    resp->content_type = "application/vnd.openxmlformats-officedocument."
                         "wordprocessingml.document";
    buf_clear(&resp->body);
    /* codecheck: a binary download (the DOCX bytes), not HTML */
    buf_append(&resp->body, zip.p, zip.len);
    resp_header(resp, "Content-Disposition", disp);
  }
  letter_clear(&l);
  clue_clear(&c);
  buf_release(&doc);
  buf_release(&zip);
  buf_release(&line);
}

/* ---- attachments ---- */

/* The file name without any path, or NULL when it is not acceptable:
** valid UTF-8, 1–200 bytes, no control characters, not "." or "..". */
static const char *clean_name(const char *raw) {
  if (!raw) return NULL;
  const char *base = raw;
  for (const char *p = raw; *p; p++)
    if (*p == '/' || *p == '\\') base = p + 1;
  size_t n = strlen(base);
  if (n == 0 || n > ATTACH_NAME_MAX || !utf8_valid(base, n)) return NULL;
  if (str_eq(base, ".") || str_eq(base, "..")) return NULL;
  for (const char *p = base; *p; p++)
    if ((unsigned char)*p < 0x20 || *p == 0x7f || *p == '"') return NULL;
  return base;
}

/* A media type as sent, if it looks like one ("type/subtype"), else
** application/octet-stream. */
static const char *clean_mime(const char *m) {
  if (!m || strlen(m) > 100 || !strchr(m, '/')) return "application/octet-stream";
  for (const char *p = m; *p; p++)
    if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
          (*p >= '0' && *p <= '9') || strchr("/.+-", *p)))
      return "application/octet-stream";
  return m;
}

static void aad_of(char *out, size_t n, int64_t clue_id, const char *name) {
  snprintf(out, n, "clue_attachment:%lld:%s", (long long)clue_id, name);
}

/* ROUTE: POST /clues/{id}/attachments — multipart file (clue.attach). */
void page_clue_attach(Request *req, Response *resp) {
  ClueViewer v;
  Clue c;
  const Part *file = NULL;
  if (full_clue(req, resp, &v, &c) != 0) return;
  for (size_t i = 0; i < req->parts.n; i++)
    if (str_eq(req->parts.items[i].name, "file") &&
        req->parts.items[i].filename)
      file = &req->parts.items[i];
  const char *name = file ? clean_name(file->filename) : NULL;
  cw_note(req, &c, "上传附件");
  const char *error = !file || !file->len ? "请选择要上传的文件（不能为空）"
                      : !name ? "文件名无效（不超过 200 字节，不含控制字符）"
                      : file->len > ATTACH_MAX ? "附件不能超过 20 MB"
                                               : NULL;
  if (error) {
    buf_puts(&req->audit_summary, "未成功");
    web_error(req, resp, file && file->len > ATTACH_MAX ? 413 : 400, "invalid",
              error, "file");
    clue_clear(&c);
    return;
  }
  char aad[320];
  Buf sealed = BUF_INIT;
  aad_of(aad, sizeof aad, c.id, name);
  crypt_seal(web_keys(), file->data, file->len, aad, &sealed);
  Stmt *st = db_stmt(req->db, STMT_CLUEW_ATT_INSERT);
  db_bind_int64(st, 1, c.id);
  db_bind_text(st, 2, name);
  db_bind_text(st, 3, clean_mime(file->content_type));
  db_bind_int64(st, 4, (int64_t)file->len);
  db_bind_blob(st, 5, sealed.p, sealed.len);
  db_bind_int64(st, 6, req->user_id);
  db_bind_int64(st, 7, jx_now());
  int rc = db_step(st);
  int64_t aid = rc == DB_ROW ? db_column_int64(st, 0) : 0;
  db_reset(st);
  buf_release(&sealed);
  if (!aid) {
    web_error(req, resp, 500, "db_error", "保存附件失败，请稍后重试", NULL);
  } else {
    buf_printf(&req->audit_summary, " #%lld（%zu 字节）", (long long)aid,
               file->len);
    char loc[64];
    snprintf(loc, sizeof loc, "/clues/%lld?saved=1#attachments",
             (long long)c.id);
    resp_redirect(resp, loc);
  }
  clue_clear(&c);
}

/* RFC 5987 encoding of a UTF-8 name for filename*=. */
static void pct(Buf *o, const char *s) {
  for (const unsigned char *p = (const unsigned char *)s; *p; p++)
    if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
        (*p >= '0' && *p <= '9') || *p == '.' || *p == '-' || *p == '_')
      buf_putc(o, (char)*p);
    else
      buf_printf(o, "%%%02X", *p);
}

/* ROUTE: GET /clues/{id}/attachments/{aid} — the file, opened
** (clue.attachment_read). */
void page_clue_attachment(Request *req, Response *resp) {
  ClueViewer v;
  Clue c;
  int64_t aid = 0;
  if (full_clue(req, resp, &v, &c) != 0) return;
  cw_id(req_arg(req, 1), &aid);
  Buf what = BUF_INIT;
  buf_printf(&what, "下载附件 #%lld", (long long)aid);
  cw_note(req, &c, buf_str(&what));
  buf_release(&what);
  Stmt *st = db_stmt(req->db, STMT_CLUEW_ATT_GET);
  db_bind_int64(st, 1, aid);
  db_bind_int64(st, 2, c.id);
  if (db_step(st) != DB_ROW) {
    db_reset(st);
    web_error(req, resp, 404, "not_found", "附件不存在", NULL);
    clue_clear(&c);
    return;
  }
  char *name = xstrdup(db_column_text(st, 0)), aad[320];
  size_t n = 0;
  const void *blob = db_column_blob(st, 3, &n);
  Buf plain = BUF_INIT;
  aad_of(aad, sizeof aad, c.id, name);
  int ok = blob && crypt_open(web_keys(), blob, n, aad, &plain) == 0;
  db_reset(st);
  if (!ok) {
    log_error("clue attachment %lld: seal check failed", (long long)aid);
    web_error(req, resp, 500, "integrity", "附件已损坏或被篡改，无法打开", NULL);
  } else {
    Buf disp = BUF_INIT;
    buf_printf(&disp, "attachment; filename=\"attachment-%lld\"; "
                      "filename*=UTF-8''",
               (long long)aid);
    pct(&disp, name);
    resp->content_type = "application/octet-stream";
    buf_clear(&resp->body);
    /* codecheck: a binary download (the opened attachment), not HTML */
    buf_append(&resp->body, plain.p ? plain.p : "", plain.len);
    resp_header(resp, "Content-Disposition", buf_str(&disp));
    buf_release(&disp);
  }
  buf_release(&plain);
  free(name);
  clue_clear(&c);
}
