/* http.h: the request, the response and the route table.
**
** web/ knows HTTP, HTML and JSON and nothing about the rules: a handler
** reads its Request, asks auth/ and domain/, and fills its Response.
** server.c turns libmicrohttpd callbacks into one call of web_dispatch()
** per request; router.c finds the Route, checks its permission and CSRF
** rule, and calls the handler.
*/
#ifndef JX_HTTP_H
#define JX_HTTP_H

#include <jansson.h>
#include <stdatomic.h>
#include <stdint.h>

#include "store/store.h"
#include "util/util.h"
#include "web/parse.h"

typedef enum RespMode { MODE_HTML = 0, MODE_JSON = 1, MODE_ASSET = 2 } RespMode;

struct Route;
struct Session;

typedef struct Header {
  char *name;
  char *value;
} Header;

typedef struct Request {
  const char *method;       /* "GET", "POST" … */
  const char *path;         /* decoded path, no query */
  const char *query_raw;    /* the raw query string ("" when none) */
  ParamList query;          /* parsed query string */
  ParamList form;           /* body fields: urlencoded, or multipart text */
  PartList parts;           /* multipart/form-data parts (files) */
  ParamList cookies;        /* Cookie header */
  Header *headers;          /* request headers (names lower-case) */
  size_t n_headers;
  const char *body;         /* raw body, NUL-terminated; "" when none */
  size_t body_len;
  json_t *json;             /* parsed body on JSON routes, else NULL */
  char remote_addr[64];     /* peer address, for the audit trail */
  const struct Route *route;/* the matched route, NULL for 404/405 */
  char *path_args[4];       /* values of {name} segments, in order */
  int n_path_args;
  Db *db;                   /* this worker thread's connection */
  struct Session *session;  /* the logged-in session, NULL if none */
  int64_t user_id;          /* session's user, 0 if none (access log) */
  char csrf_token[65];      /* the session's CSRF token, "" if none */
  /* What the handler tells the audit record the dispatcher writes. */
  const char *audit_login;  /* login typed at a failed login */
  const char *audit_object; /* object type, e.g. "user" */
  int64_t audit_object_id;  /* its id */
  Buf audit_summary;        /* one sentence for people; never a secret */
  int audit_outcome;        /* an AuditOutcome; 0: derive from the status */
  /* A read's record, left to the server (web_audit_deferrable). */
  const char *audit_deferred;  /* the route's audit action */
  int audit_deferred_outcome;
} Request;

typedef struct Response {
  int status;                 /* HTTP status, 200 by default */
  const char *content_type;   /* static string */
  Buf body;                   /* dynamic body */
  const unsigned char *static_body; /* or an embedded asset, not copied */
  size_t static_len;
  Header headers[16];         /* extra headers (Location, Set-Cookie …) */
  int n_headers;
  int no_store;               /* Cache-Control: no-store (default 1) */
  int keep_writes;            /* commit even with an error status: the
                                 writes record the refusal (lockout
                                 counters, audit of a denial) */
} Response;

typedef void (*Handler)(Request *req, Response *resp);

typedef struct Route {
  const char *method;  /* "GET", "POST", "PUT", "DELETE" */
  const char *pattern; /* "/api/v1/things/{id}": literal segments and {name} */
  Handler handler;
  int perm;            /* a Perm of auth/policy.h */
  int csrf;            /* 1: state-changing, needs the session's token */
  RespMode mode;       /* how errors on this route are rendered */
  size_t max_body;     /* 0: the server's default body limit */
  const char *audit;   /* audit action ("session.login"), NULL: none */
} Route;

extern const Route routes[];
extern const size_t n_routes;

/* ---- request ---- */
const char *req_header(const Request *req, const char *lower_name);
const char *req_param(const Request *req, const char *name); /* form, then query */
const char *req_arg(const Request *req, int i); /* {name} segment i */

/* ---- response ---- */
void resp_header(Response *resp, const char *name, const char *value);
void resp_redirect(Response *resp, const char *location); /* 303 */
/* Drop body and extra headers, back to a fresh 200 (before an error). */
void resp_reset(Response *resp);
void resp_free(Response *resp);

/* Render an error in the route's mode: a Chinese HTML page, or the JSON
** error shape {"error":{"code","message","field"}}.  field may be NULL. */
void web_error(Request *req, Response *resp, int status, const char *code,
               const char *message, const char *field);

/* ---- dispatch (router.c) ---- */
/* Match req->method and req->path; fills req->route and path args.
** Returns 200 when found, 404 when no pattern matches, 405 when the path
** matches with another method (allow then lists the methods). */
int route_match(Request *req, Buf *allow);
void web_dispatch(Request *req, Response *resp);
const char *status_text(int status);

/* ---- server limits (server.c) ---- */
typedef struct ServerConfig {
  const char *db_location;
  const char *key_path;
  const char *listen_host;      /* "127.0.0.1" */
  int port;                     /* 0: any free port */
  int threads;                  /* worker threads, default = cores */
  size_t max_body;              /* default 1 MiB */
  size_t max_upload;            /* upload routes, default 32 MiB */
  size_t max_header;            /* bytes of request line + headers, 16 KiB */
  int max_connections;          /* beyond: 503, default 256 */
  int timeout_seconds;          /* idle connection timeout, default 30 */
} ServerConfig;

void server_config_defaults(ServerConfig *cfg);
/* Serve until SIGTERM or SIGINT; in-flight requests finish, the database
** closes cleanly.  Returns the exit status. */
int server_run(const ServerConfig *cfg);
/* This thread's database connection (opened on first use). */
Db *web_thread_db(void);
/* The keys loaded from the key file at start-up. */
struct Keys;
const struct Keys *web_keys(void);

/* ---- audit (router.c) ---- */
/* Record one event for this request now, in the open transaction if
** there is one, else in its own.  Returns DB_OK or a DB_E* code. */
int web_audit(Request *req, const char *action, int outcome);
/* Set by the server when it group-commits the records of reads: the
** dispatcher then only notes a read's event in req->audit_deferred and
** the server writes it (audit/audit_queue.h) before sending. */
extern atomic_int web_audit_deferrable;
/* The noted event as a queue job (NULL when none was noted). */
struct AuditJob;
struct AuditJob *web_audit_job(Request *req);
/* Replace resp with the 500 of an audit record that could not be written. */
void web_audit_failed(Request *req, Response *resp);

#endif
