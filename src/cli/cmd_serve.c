/* cmd_serve.c: `jixun serve`, `jixun routes` and `jixun policy`. */
#include <stdlib.h>

#include "auth/policy.h"
#include "cli/cli.h"
#include "web/http.h"

static int parse_listen(const char *s, ServerConfig *cfg, char *host,
                        size_t hostlen) {
  const char *colon = strrchr(s, ':');
  int64_t port;
  if (!colon || colon == s || (size_t)(colon - s) >= hostlen ||
      str_to_int64(colon + 1, 0, 65535, &port) != 0)
    return -1;
  memcpy(host, s, (size_t)(colon - s));
  host[colon - s] = 0;
  cfg->listen_host = host;
  cfg->port = (int)port;
  return 0;
}

int cmd_serve(int argc, char **argv) {
  const char *db = NULL, *listen = NULL, *threads = NULL, *key = NULL;
  const char *max_body = NULL, *max_conn = NULL, *timeout = NULL;
  const char *max_header = NULL, *max_upload = NULL;
  const CliOpt opts[] = {{"--db", 1, &db},
                         {"--listen", 1, &listen},
                         {"--threads", 1, &threads},
                         {"--key", 1, &key},
                         {"--max-body", 1, &max_body},
                         {"--max-upload", 1, &max_upload},
                         {"--max-header", 1, &max_header},
                         {"--max-connections", 1, &max_conn},
                         {"--timeout", 1, &timeout},
                         {0, 0, 0}};
  const char *usage =
      "[--db PATH|postgresql://…] [--listen HOST:PORT] [--threads N] [--key PATH] "
      "[--max-body BYTES] [--max-upload BYTES] [--max-header BYTES] "
      "[--max-connections N] [--timeout SECONDS]";
  if (cli_parse(argc, argv, opts, NULL, 0, NULL, usage) != 0) return 2;
  ServerConfig cfg;
  char host[64];
  int64_t n;
  server_config_defaults(&cfg);
  cfg.db_location = cli_db_location(db);
  if (listen && parse_listen(listen, &cfg, host, sizeof host) != 0) {
    fprintf(stderr, "jixun serve: --listen 应为 主机:端口，例如 127.0.0.1:8080\n");
    return 2;
  }
  if (threads) {
    if (str_to_int64(threads, 1, 256, &n) != 0) {
      fprintf(stderr, "jixun serve: --threads 应为 1 到 256 之间的整数\n");
      return 2;
    }
    cfg.threads = (int)n;
  }
  if (max_body) {
    if (str_to_int64(max_body, 1024, 1 << 30, &n) != 0) {
      fprintf(stderr, "jixun serve: --max-body 应为 1024 到 1073741824 之间的字节数\n");
      return 2;
    }
    cfg.max_body = (size_t)n;
  }
  if (max_upload) {
    if (str_to_int64(max_upload, 1024, 1 << 30, &n) != 0) {
      fprintf(stderr, "jixun serve: --max-upload 应为 1024 到 1073741824 之间的字节数\n");
      return 2;
    }
    cfg.max_upload = (size_t)n;
  }
  if (max_header) {
    if (str_to_int64(max_header, 1024, 1 << 20, &n) != 0) {
      fprintf(stderr, "jixun serve: --max-header 应为 1024 到 1048576 之间的字节数\n");
      return 2;
    }
    cfg.max_header = (size_t)n;
  }
  if (max_conn) {
    if (str_to_int64(max_conn, 1, 100000, &n) != 0) {
      fprintf(stderr, "jixun serve: --max-connections 应为 1 到 100000 之间的整数\n");
      return 2;
    }
    cfg.max_connections = (int)n;
  }
  if (timeout) {
    if (str_to_int64(timeout, 1, 3600, &n) != 0) {
      fprintf(stderr, "jixun serve: --timeout 应为 1 到 3600 之间的秒数\n");
      return 2;
    }
    cfg.timeout_seconds = (int)n;
  }
  char *key_path = cli_key_path(cfg.db_location, key);
  cfg.key_path = key_path;
  int rc = server_run(&cfg);
  free(key_path);
  return rc;
}

/* Machine-readable: the HTTP tests derive their CSRF and access checks
** from this listing, so the table stays the single source of truth. */
int cmd_routes(int argc, char **argv) {
  if (argc > 1) {
    fprintf(stderr, "用法：jixun routes\n");
    return 2;
  }
  for (size_t i = 0; i < n_routes; i++)
    printf("%s\t%s\t%s\t%d\t%s\t%s\n", routes[i].method, routes[i].pattern,
           perm_name((Perm)routes[i].perm), routes[i].csrf,
           routes[i].mode == MODE_JSON ? "json"
           : routes[i].mode == MODE_HTML ? "html"
                                         : "asset",
           routes[i].audit ? routes[i].audit : "-");
  return 0;
}

/* Machine-readable: role, permission name and scope, one rule a line, so
** the HTTP tests derive the expected access matrix from the same table
** the dispatcher consults. */
int cmd_policy(int argc, char **argv) {
  static const char *const scopes[] = {"none", "own", "jurisdiction", "all"};
  if (argc > 1) {
    fprintf(stderr, "用法：jixun policy\n");
    return 2;
  }
  for (size_t i = 0; i < n_policy_rules; i++) {
    const PolicyRule *r = &policy_rules[i];
    printf("%s\t%s\t%s\n", r->role, perm_name(r->perm),
           r->scope >= SCOPE_NONE && r->scope <= SCOPE_ALL ? scopes[r->scope]
                                                           : "?");
  }
  return 0;
}
