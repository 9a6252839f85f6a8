/* server.c: libmicrohttpd glue — limits, per-thread database, access
** log, security headers, graceful shutdown.
**
** libmicrohttpd runs a pool of worker threads (one per core by default);
** each opens its own database connection on first use (web_thread_db).
** A request's raw URI is captured by the URI-log callback, before MHD
** decodes anything, so that our own parsers (web/parse.c) validate it.
*/
#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netdb.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <strings.h>
#include <unistd.h>

#include "audit/audit.h"
#include "audit/audit_queue.h"
#include "audit/audit_retention.h"
#include "auth/auth.h"
#include "web/html.h"
#include "web/http.h"

/* What one request accumulates between libmicrohttpd's callbacks. */
typedef struct ReqCtx {
  char *uri;          /* raw request target, as received */
  Buf body;           /* request body so far */
  size_t limit;       /* body limit for this route */
  int too_large;      /* body exceeded limit: answer 413 */
  double t0;          /* start, monotonic ms */
  int status;         /* status sent, for the access log */
  size_t bytes;       /* body bytes sent */
  int64_t user_id;    /* for the access log */
  char method[16];
  Buf log_path;       /* path plus query parameter names, no values */
  struct Deferred *deferred; /* a response waiting for its audit record */
} ReqCtx;

/* A read answered but not yet sent: its audit record is in the queue and
** the connection suspended until the writer has committed it. */
typedef struct Deferred {
  Request req;
  Response resp;
  AuditJob *job;
} Deferred;

static const ServerConfig *cfg;
static Keys keys;

const Keys *web_keys(void) { return &keys; }
static pthread_key_t db_key;
static atomic_int in_flight;
static atomic_int open_connections;

static const char csp[] =
    "default-src 'none'; script-src 'self'; style-src 'self'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

void server_config_defaults(ServerConfig *c) {
  memset(c, 0, sizeof *c);
  c->listen_host = "127.0.0.1";
  c->port = 8080;
  long n = sysconf(_SC_NPROCESSORS_ONLN);
  c->threads = n > 0 ? (int)n : 2;
  c->max_body = 1u << 20;
  c->max_upload = 32u << 20;
  c->max_header = 16u << 10;
  c->max_connections = 256;
  c->timeout_seconds = 30;
}

static void db_key_free(void *p) { db_close(p); }

Db *web_thread_db(void) {
  Db *db = pthread_getspecific(db_key);
  if (db) return db;
  Buf err = BUF_INIT;
  if (db_open(cfg->db_location, &db, &err) != 0) {
    log_error("cannot open database: %s", buf_str(&err));
    buf_release(&err);
    return NULL;
  }
  pthread_setspecific(db_key, db);
  return db;
}

/* Called by MHD with the raw URI before anything else: start the context. */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *c) {
  ReqCtx *ctx = xcalloc(1, sizeof *ctx);
  ctx->uri = xstrdup(uri ? uri : "/");
  ctx->t0 = jx_monotonic_ms();
  ctx->limit = cfg->max_body;
  return ctx;
}

static void add_log_path(ReqCtx *ctx, const char *path, const ParamList *q) {
  log_escape(&ctx->log_path, path);
  for (size_t i = 0; i < q->n; i++) {
    buf_putc(&ctx->log_path, i ? '&' : '?');
    log_escape(&ctx->log_path, q->items[i].name);
  }
}

static enum MHD_Result collect_header(void *cls, enum MHD_ValueKind kind,
                                      const char *key, const char *value) {
  Request *req = cls;
  if (req->n_headers % 16 == 0)
    req->headers = xrealloc(req->headers, (req->n_headers + 16) * sizeof(Header));
  Header *h = &req->headers[req->n_headers++];
  h->name = xstrdup(key);
  for (char *p = h->name; *p; p++)
    if (*p >= 'A' && *p <= 'Z') *p = (char)(*p + 32);
  h->value = xstrdup(value ? value : "");
  return MHD_YES;
}

static size_t header_bytes(const Request *req) {
  size_t n = 0;
  for (size_t i = 0; i < req->n_headers; i++)
    n += strlen(req->headers[i].name) + strlen(req->headers[i].value) + 4;
  return n;
}

static void free_request(Request *req) {
  params_free(&req->query);
  params_free(&req->form);
  parts_free(&req->parts);
  params_free(&req->cookies);
  for (size_t i = 0; i < req->n_headers; i++) {
    free(req->headers[i].name);
    free(req->headers[i].value);
  }
  free(req->headers);
  for (int i = 0; i < req->n_path_args; i++) free(req->path_args[i]);
  json_decref(req->json);
  buf_release(&req->audit_summary);
  free((char *)req->path);
}

static void free_body(void *p) { free(p); }

/* Build the MHD response with the security headers every page carries. */
static enum MHD_Result send_response(struct MHD_Connection *c, ReqCtx *ctx,
                                     Response *resp, int head_only) {
  struct MHD_Response *r;
  size_t len;
  if (resp->static_body) {
    len = resp->static_len;
    r = MHD_create_response_from_buffer(len, (void *)resp->static_body,
                                        MHD_RESPMEM_PERSISTENT);
  } else {
    len = resp->body.len;
    char *body = buf_detach(&resp->body);
    r = MHD_create_response_from_buffer_with_free_callback(len, body,
                                                           free_body);
  }
  if (!r) return MHD_NO;
  if (resp->status != 304 && resp->status != 204)
    MHD_add_response_header(r, "Content-Type", resp->content_type);
  MHD_add_response_header(r, "Content-Security-Policy", csp);
  MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
  MHD_add_response_header(r, "X-Frame-Options", "DENY");
  MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
  MHD_add_response_header(r, "Cross-Origin-Opener-Policy", "same-origin");
  MHD_add_response_header(r, "Permissions-Policy",
                          "camera=(), microphone=(), geolocation=()");
  if (resp->no_store) MHD_add_response_header(r, "Cache-Control", "no-store");
  for (int i = 0; i < resp->n_headers; i++)
    MHD_add_response_header(r, resp->headers[i].name, resp->headers[i].value);
  ctx->status = resp->status;
  ctx->bytes = head_only ? 0 : len;
  enum MHD_Result ret = MHD_queue_response(c, (unsigned)resp->status, r);
  MHD_destroy_response(r);
  return ret;
}

/* Answer before the body is read (limits): a minimal request suffices. */
static enum MHD_Result early_error(struct MHD_Connection *c, ReqCtx *ctx,
                                   const char *path, int status,
                                   const char *code, const char *msg) {
  Request req = {0};
  Response resp = {0};
  resp_reset(&resp);
  req.method = ctx->method;
  req.path = xstrdup(path);
  web_error(&req, &resp, status, code, msg, NULL);
  if (status == 503) resp_header(&resp, "Retry-After", "5");
  resp_header(&resp, "Connection", "close");
  enum MHD_Result ret = send_response(c, ctx, &resp, 0);
  resp_free(&resp);
  free_request(&req);
  return ret;
}

/* Split the raw URI into a decoded path and a parsed query.  -1 when the
** path or query is malformed (bad escapes, not UTF-8, NUL bytes). */
static int parse_target(const char *uri, char **path, ParamList *query) {
  const char *q = strchr(uri, '?');
  size_t plen = q ? (size_t)(q - uri) : strlen(uri);
  Buf p = BUF_INIT;
  int rc = url_decode(uri, plen, 0, &p);
  *path = buf_detach(&p);
  if (rc != 0 || (*path)[0] != '/') return -1;
  if (q && parse_urlencoded(q + 1, strlen(q + 1), query) != 0) return -1;
  return 0;
}

static size_t route_limit(const char *method, const char *path) {
  Request probe = {0};
  probe.method = method;
  probe.path = path;
  size_t limit = cfg->max_body;
  if (route_match(&probe, NULL) == 200 && probe.route->max_body)
    limit = probe.route->max_body > cfg->max_upload ? cfg->max_upload
                                                    : probe.route->max_body;
  for (int i = 0; i < probe.n_path_args; i++) free(probe.path_args[i]);
  return limit;
}

/* The writer thread is done with a job: let MHD call on_request again. */
static void audit_written(AuditJob *job) { MHD_resume_connection(job->cls); }

static void log_failure(ReqCtx *ctx, const Response *resp) {
  if (resp->status >= 500)
    log_error("%s %s -> %d", ctx->method, buf_str(&ctx->log_path),
              resp->status);
}

static enum MHD_Result finish(struct MHD_Connection *c, ReqCtx *ctx,
                              Request *req, Response *resp) {
  log_failure(ctx, resp);
  enum MHD_Result ret =
      send_response(c, ctx, resp, str_eq(ctx->method, "HEAD"));
  auth_detach(req);
  resp_free(resp);
  free_request(req);
  return ret;
}

/* Called again after the resume: send what the read produced, or the 500
** of a record that could not be written (the reader learns nothing). */
static enum MHD_Result finish_deferred(struct MHD_Connection *c,
                                       ReqCtx *ctx) {
  Deferred *d = ctx->deferred;
  ctx->deferred = NULL;
  if (d->job->rc != DB_OK) {
    log_error("audit write failed for %s (code %d)", d->job->ev.action,
              d->job->rc);
    web_audit_failed(&d->req, &d->resp);
  }
  enum MHD_Result ret = finish(c, ctx, &d->req, &d->resp);
  audit_job_free(d->job);
  free(d);
  return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c,
                                  const char *url, const char *method,
                                  const char *version, const char *upload,
                                  size_t *upload_size, void **con_cls) {
  ReqCtx *ctx = *con_cls;
  if (!ctx) return MHD_NO; /* on_uri always runs first */
  if (ctx->deferred) return finish_deferred(c, ctx);
  if (!ctx->method[0]) {
    /* First call: headers are in, the body is not.  Only from here on
     * does a request count as in flight for a graceful stop: a client
     * still dribbling its headers is not worth waiting for. */
    str_copy(ctx->method, method, sizeof ctx->method);
    atomic_fetch_add(&in_flight, 1);
    const char *q = strchr(ctx->uri, '?');
    Buf p = BUF_INIT;
    size_t plen = q ? (size_t)(q - ctx->uri) : strlen(ctx->uri);
    if (url_decode(ctx->uri, plen, 0, &p) != 0)
      buf_puts(&ctx->log_path, "(malformed)");
    else
      log_escape(&ctx->log_path, buf_str(&p));
    if (atomic_load(&open_connections) > cfg->max_connections) {
      enum MHD_Result r = early_error(c, ctx, buf_str(&p), 503, "busy",
                                      "服务器繁忙，请稍后重试");
      buf_release(&p);
      return r;
    }
    ctx->limit = route_limit(method, buf_str(&p));
    const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
                                                 MHD_HTTP_HEADER_CONTENT_LENGTH);
    int64_t n;
    if (cl && str_to_int64(cl, 0, INT64_MAX, &n) == 0 &&
        (uint64_t)n > ctx->limit) {
      enum MHD_Result r = early_error(c, ctx, buf_str(&p), 413, "too_large",
                                      "提交内容超过大小限制");
      buf_release(&p);
      return r;
    }
    buf_release(&p);
    return MHD_YES;
  }
  if (*upload_size) {
    if (ctx->too_large || ctx->body.len + *upload_size > ctx->limit) {
      ctx->too_large = 1; /* keep reading, discard, answer at the end */
    } else {
      buf_append(&ctx->body, upload, *upload_size);
    }
    *upload_size = 0;
    return MHD_YES;
  }
  if (ctx->status) return MHD_YES; /* an early error was queued */

  /* Last call: the whole request is here. */
  Request req = {0};
  Response resp = {0};
  resp_reset(&resp);
  req.method = ctx->method;
  req.body = buf_str(&ctx->body);
  req.body_len = ctx->body.len;
  req.query_raw = strchr(ctx->uri, '?') ? strchr(ctx->uri, '?') + 1 : "";
  MHD_get_connection_values(c, MHD_HEADER_KIND, collect_header, &req);
  const union MHD_ConnectionInfo *ci =
      MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
  if (ci && ci->client_addr) {
    char host[64] = "";
    if (getnameinfo(ci->client_addr,
                    ci->client_addr->sa_family == AF_INET6
                        ? sizeof(struct sockaddr_in6)
                        : sizeof(struct sockaddr_in),
                    host, sizeof host, NULL, 0, NI_NUMERICHOST) == 0)
      str_copy(req.remote_addr, host, sizeof req.remote_addr);
  }
  char *path = NULL;
  int bad_target = parse_target(ctx->uri, &path, &req.query);
  req.path = path;
  buf_clear(&ctx->log_path);
  add_log_path(ctx, bad_target ? "(malformed)" : path, &req.query);
  const char *cookie = req_header(&req, "cookie");

  if (bad_target) {
    web_error(&req, &resp, 400, "bad_request",
              "请求地址含有非法字符或编码错误", NULL);
  } else if (header_bytes(&req) > cfg->max_header) {
    web_error(&req, &resp, 431, "headers_too_large", "请求头过大", NULL);
    resp_header(&resp, "Connection", "close");
  } else if (ctx->too_large) {
    web_error(&req, &resp, 413, "too_large", "提交内容超过大小限制", NULL);
  } else if (cookie && parse_cookies(cookie, &req.cookies) != 0) {
    web_error(&req, &resp, 400, "bad_cookie", "Cookie 格式错误", NULL);
  } else if (!(req.db = web_thread_db())) {
    web_error(&req, &resp, 503, "db_unavailable", "数据库暂时不可用", NULL);
  } else {
    web_dispatch(&req, &resp);
  }
  ctx->user_id = req.user_id;
  AuditJob *job = web_audit_job(&req);
  if (job) {
    Deferred *d = xcalloc(1, sizeof *d);
    d->req = req; /* nothing points into the struct itself */
    d->resp = resp;
    d->job = job;
    job->done = audit_written;
    job->cls = c;
    ctx->deferred = d;
    /* Suspended before it is queued: the writer may resume it at once. */
    MHD_suspend_connection(c);
    audit_queue_submit(job);
    return MHD_YES;
  }
  return finish(c, ctx, &req, &resp);
}

/* One access-log line per request: never bodies, cookies or query values. */
static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
                         enum MHD_RequestTerminationCode toe) {
  ReqCtx *ctx = *con_cls;
  if (!ctx) return;
  if (ctx->method[0])
    log_info("access %s %s %d %zu %.1fms user=%lld%s", ctx->method,
             buf_str(&ctx->log_path), ctx->status, ctx->bytes,
             jx_monotonic_ms() - ctx->t0, (long long)ctx->user_id,
             toe == MHD_REQUEST_TERMINATED_COMPLETED_OK ? "" : " aborted");
  free(ctx->uri);
  buf_release(&ctx->body);
  buf_release(&ctx->log_path);
  if (ctx->method[0]) atomic_fetch_sub(&in_flight, 1);
  free(ctx);
  *con_cls = NULL;
}

static void on_connection(void *cls, struct MHD_Connection *c, void **socket_ctx,
                          enum MHD_ConnectionNotificationCode code) {
  atomic_fetch_add(&open_connections,
                   code == MHD_CONNECTION_NOTIFY_STARTED ? 1 : -1);
}

static void mhd_log(void *cls, const char *fmt, va_list ap) {
  Buf b = BUF_INIT;
  buf_vprintf(&b, fmt, ap);
  while (b.len && b.p[b.len - 1] == '\n') b.p[--b.len] = 0;
  log_info("httpd: %s", buf_str(&b));
  buf_release(&b);
}

int server_run(const ServerConfig *config) {
  cfg = config;
  pthread_key_create(&db_key, db_key_free);
  /* Open once on the main thread: fail fast on a bad --db, and make sure
   * the schema is current before any worker serves. */
  Db *db = NULL;
  Buf err = BUF_INIT;
  int applied = 0;
  if (db_open(cfg->db_location, &db, &err) != 0 ||
      db_migrate(db, &applied, &err) != DB_OK) {
    fprintf(stderr, "jixun: 无法打开数据库：%s\n", buf_str(&err));
    buf_release(&err);
    db_close(db);
    return 1;
  }
  int backend_pg = db_backend(db) == DB_POSTGRES;
  db_close(db);
  if (keyfile_load(cfg->key_path, &keys, &err) != 0) {
    fprintf(stderr, "jixun: 无法读取密钥文件 %s：%s（新数据库请先运行 jixun init）\n",
            cfg->key_path, buf_str(&err));
    buf_release(&err);
    return 1;
  }

  /* Workers inherit this mask, so only sigwait() below sees the signals. */
  sigset_t sigs;
  sigemptyset(&sigs);
  sigaddset(&sigs, SIGTERM);
  sigaddset(&sigs, SIGINT);
  pthread_sigmask(SIG_BLOCK, &sigs, NULL);
  signal(SIGPIPE, SIG_IGN);

  struct sockaddr_in addr = {0};
  addr.sin_family = AF_INET;
  addr.sin_port = htons((uint16_t)cfg->port);
  if (inet_pton(AF_INET, cfg->listen_host, &addr.sin_addr) != 1) {
    fprintf(stderr, "jixun: 无效的监听地址 '%s'\n", cfg->listen_host);
    return 2;
  }
  /* After the mask: the writer must not take the signals either. */
  if (audit_queue_start(web_thread_db, &keys) != 0) {
    fprintf(stderr, "jixun: 无法启动审计写入线程\n");
    return 1;
  }
  atomic_store(&web_audit_deferrable, 1);
  if (audit_retention_start(web_thread_db, &keys) != 0) {
    fprintf(stderr, "jixun: 无法启动审计记录定期清理任务\n");
    audit_queue_stop();
    return 1;
  }
  struct MHD_Daemon *d = MHD_start_daemon(
      MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_ITC |
          MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG,
      (uint16_t)cfg->port, NULL, NULL, on_request, NULL,
      MHD_OPTION_EXTERNAL_LOGGER, mhd_log, NULL, /* first, or MHD warns */
      MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&addr,
      MHD_OPTION_STRICT_FOR_CLIENT, 1,
      MHD_OPTION_THREAD_POOL_SIZE, (unsigned)cfg->threads,
      MHD_OPTION_URI_LOG_CALLBACK, on_uri, NULL,
      MHD_OPTION_NOTIFY_COMPLETED, on_completed, NULL,
      MHD_OPTION_NOTIFY_CONNECTION, on_connection, NULL,
      /* MHD's own hard limits sit above ours so that we, not MHD, answer
       * (in Chinese) for everything but truly absurd requests. */
      MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(cfg->max_header * 8 + 65536),
      MHD_OPTION_CONNECTION_LIMIT, (unsigned)(cfg->max_connections + 64),
      MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)cfg->timeout_seconds,
      MHD_OPTION_END);
  if (!d) {
    fprintf(stderr, "jixun: 无法监听 %s:%d：%s\n", cfg->listen_host, cfg->port,
            strerror(errno));
    audit_retention_stop();
    audit_queue_stop();
    return 1;
  }
  const union MHD_DaemonInfo *di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
  printf("jixun: listening on http://%s:%u (%s, %d threads)\n",
         cfg->listen_host, di ? di->port : (unsigned)cfg->port,
         backend_pg ? "postgresql" : "sqlite", cfg->threads);
  fflush(stdout);

  int sig = 0;
  sigwait(&sigs, &sig);
  log_info("signal %d: finishing in-flight requests", sig);
  MHD_socket ls = MHD_quiesce_daemon(d);
  if (ls != MHD_INVALID_SOCKET) close(ls);
  for (int i = 0; i < 50 && atomic_load(&in_flight) > 0; i++) usleep(100000);
  /* Writes what is still queued and resumes its connections: MHD must
   * not be stopped with a connection suspended.  A read arriving after
   * this point is audited in its own transaction again. */
  atomic_store(&web_audit_deferrable, 0);
  audit_queue_stop();
  audit_retention_stop();
  MHD_stop_daemon(d);
  pthread_key_delete(db_key);
  keys_wipe(&keys);
  log_info("stopped");
  return 0;
}
