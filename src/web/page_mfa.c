/* page_mfa.c: the user's own TOTP second factor (auth/mfa.c) — generate
** a secret, prove a code to enable it, disable it — as HTML forms that
** work without JavaScript.  No QR code library is available, so the
** secret is shown as grouped base32 text and as the otpauth:// URI. */
#include <stdlib.h>

#include "audit/audit.h"
#include "auth/mfa.h"
#include "auth/session.h"
#include "web/html.h"

#define TOTP_ISSUER "纪巡" /* the name authenticator apps show */

/* The enrolment form for a pending secret: the steps for the app, the
** secret grouped in fours, the URI, and the code field. */
static void enrol_form(Request *req, Response *resp,
                       const unsigned char *secret) {
  Buf *b = &resp->body;
  Buf b32 = BUF_INIT, grouped = BUF_INIT, uri = BUF_INIT;
  base32_encode(secret, TOTP_SECRET_BYTES, &b32);
  for (size_t i = 0; i < b32.len; i++) {
    if (i && i % 4 == 0) buf_putc(&grouped, ' ');
    buf_putc(&grouped, b32.p[i]);
  }
  totp_uri(TOTP_ISSUER, req->session->login, secret, TOTP_SECRET_BYTES, &uri);
  html_raw(b, "<h2>第一步：把密钥添加到验证器应用</h2>\n<ol>\n"
              "<li>在手机上打开支持“基于时间的一次性密码（TOTP）”的验证器应用"
              "（单位配发的身份验证器，或其他符合 RFC 6238 的应用）。</li>\n"
              "<li>选择“添加账户”→“手动输入密钥”（本系统不显示二维码），"
              "按下表填写；密钥中的空格可以省略，字母不区分大小写。</li>\n"
              "<li>类型选择“基于时间”；如应用可设置参数，选择 SHA1、6 位、30 秒。</li>\n"
              "</ol>\n");
  html_printf(b,
              "<dl class=\"props\"><dt>发行方</dt><dd>%s</dd>"
              "<dt>账户名</dt><dd>%s</dd>"
              "<dt>密钥</dt><dd><code class=\"secret\">%s</code></dd>"
              "<dt>参数</dt><dd>SHA1 · 6 位 · 30 秒</dd></dl>\n",
              TOTP_ISSUER, req->session->login, buf_str(&grouped));
  html_printf(b,
              "<p class=\"hint\">能导入链接的应用也可使用下面的地址（含密钥，"
              "不要发送给他人）：</p>\n<p><code class=\"uri\">%s</code></p>\n",
              buf_str(&uri));
  html_raw(b, "<p class=\"hint\">密钥等同于密码：不要拍照、转发或保存在联网的电脑上。"
              "启用后本页不再显示密钥。</p>\n"
              "<h2>第二步：输入验证码完成启用</h2>\n");
  form_begin(req, resp, "/me/totp/enable");
  html_raw(b, "\n<label>验证器当前显示的 6 位验证码<input name=\"totp\" "
              "inputmode=\"numeric\" autocomplete=\"one-time-code\" required "
              "maxlength=\"7\" pattern=\"[0-9 ]{6,7}\"></label>\n"
              "<button type=\"submit\">启用动态验证码</button>\n</form>\n");
  form_begin(req, resp, "/me/totp/setup");
  html_raw(b, "<button type=\"submit\" class=\"link\">重新生成密钥"
              "（之前添加到应用中的条目将失效）</button></form>\n");
  sodium_memzero(b32.p, b32.len);
  sodium_memzero(grouped.p, grouped.len);
  sodium_memzero(uri.p, uri.len);
  buf_release(&b32);
  buf_release(&grouped);
  buf_release(&uri);
}

/* The page for every state: enabled, enrolment pending, or none yet. */
static void totp_page(Request *req, Response *resp, const char *error) {
  Buf *b = &resp->body;
  unsigned char secret[TOTP_SECRET_BYTES];
  int enabled = 0;
  int has = mfa_secret(req->db, web_keys(), req->user_id, secret, &enabled) == 0;
  page_begin(req, resp, "动态验证码（双因素认证）", "");
  if (params_get(&req->query, "enabled"))
    page_notice(resp, "ok", "动态验证码已启用。今后登录时，输入密码后还须输入"
                            "验证器显示的 6 位验证码；您的其他会话已结束。");
  if (params_get(&req->query, "disabled"))
    page_notice(resp, "ok", "动态验证码已停用。");
  if (req->session->must_enrol_totp)
    page_notice(resp, "info", "安全管理员规定您的角色须使用动态验证码（双因素认证）。"
                              "请先完成启用，然后才能使用系统的其他功能。");
  if (error) page_notice(resp, "error", error);
  if (has && enabled) {
    html_raw(b, "<p>动态验证码<strong>已启用</strong>：登录时在密码之后输入"
                "验证器应用显示的 6 位数字。</p>\n");
    if (mfa_required(req->db, req->user_id)) {
      html_raw(b, "<p class=\"hint\">您的角色须使用动态验证码，不能停用。"
                  "更换或遗失手机时，请联系安全管理员重置。</p>\n");
    } else {
      html_raw(b, "<h2>停用</h2>\n");
      form_begin(req, resp, "/me/totp/disable");
      html_raw(b, "\n<label>当前验证码（确认是您本人操作）<input name=\"totp\" "
                  "inputmode=\"numeric\" autocomplete=\"one-time-code\" required "
                  "maxlength=\"7\" pattern=\"[0-9 ]{6,7}\"></label>\n"
                  "<button type=\"submit\">停用动态验证码</button>\n</form>\n");
    }
    html_raw(b, "<p><a href=\"/\">进入工作台</a></p>\n");
  } else if (has) {
    enrol_form(req, resp, secret);
  } else {
    html_raw(b, "<p>启用后，登录时除密码外还须输入手机验证器应用生成的 6 位"
                "动态验证码（每 30 秒更换一次，每个只能使用一次）。即使密码泄露，"
                "他人也无法登录您的账号。</p>\n");
    form_begin(req, resp, "/me/totp/setup");
    html_raw(b, "<button type=\"submit\">生成密钥，开始启用</button></form>\n");
  }
  sodium_memzero(secret, sizeof secret);
  html_raw(b, "<p><a href=\"/me\">返回个人设置</a></p>\n");
  page_end(req, resp);
}

/* ROUTE: GET /me/totp */
void page_totp(Request *req, Response *resp) { totp_page(req, resp, NULL); }

/* The audit object of every step: the user's own account. */
static void note_self(Request *req, const char *summary) {
  req->audit_object = "user";
  req->audit_object_id = req->user_id;
  buf_puts(&req->audit_summary, summary);
}

/* Render the page again with err as a 400 (the dispatcher rolls back). */
static void refuse(Request *req, Response *resp, const Buf *err) {
  totp_page(req, resp, buf_str(err));
  resp->status = 400;
}

/* ROUTE: POST /me/totp/setup — a new pending secret. */
void page_totp_setup(Request *req, Response *resp) {
  Buf err = BUF_INIT;
  note_self(req, "生成动态验证码密钥（待启用）");
  if (mfa_setup(req->db, web_keys(), req->user_id, &err) != 0)
    refuse(req, resp, &err);
  else
    resp_redirect(resp, "/me/totp");
  buf_release(&err);
}

/* ROUTE: POST /me/totp/enable — prove a code, turn TOTP on. */
void page_totp_enable(Request *req, Response *resp) {
  Buf err = BUF_INIT;
  note_self(req, "启用动态验证码");
  if (mfa_enable(req->db, web_keys(), req->user_id, req_param(req, "totp"),
                 &err) != 0) {
    refuse(req, resp, &err);
  } else {
    /* Sessions opened with the password alone end, as after a password
     * change: from now on every session has passed both factors. */
    session_end_others(req->db, req->user_id, req->session->id);
    resp_redirect(resp, "/me/totp?enabled=1");
  }
  buf_release(&err);
}

/* ROUTE: POST /me/totp/disable — a current code turns TOTP off. */
void page_totp_disable(Request *req, Response *resp) {
  Buf err = BUF_INIT;
  note_self(req, "停用动态验证码");
  int rc = mfa_disable(req->db, web_keys(), req->user_id,
                       req_param(req, "totp"), req->remote_addr, &err);
  if (rc != 0) {
    refuse(req, resp, &err);
    resp->keep_writes = rc == -2; /* the failure counts toward the lockout */
  } else
    resp_redirect(resp, "/me/totp?disabled=1");
  buf_release(&err);
}
