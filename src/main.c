/* main.c: the jixun command table and entry point.
**
** One binary is the web server and the administration tool (like Fossil):
** every command below shares the store, auth and audit layers.
*/
#include <stdlib.h>

#include "cli/cli.h"

int cmd_serve(int argc, char **argv);
int cmd_routes(int argc, char **argv);
int cmd_policy(int argc, char **argv);
int cmd_init(int argc, char **argv);
int cmd_migrate(int argc, char **argv);
int cmd_demo(int argc, char **argv);
int cmd_backup(int argc, char **argv);
int cmd_restore(int argc, char **argv);
int cmd_user(int argc, char **argv);
int cmd_role(int argc, char **argv);
int cmd_token(int argc, char **argv);
int cmd_audit(int argc, char **argv);
int cmd_bench_data(int argc, char **argv);
static int cmd_version(int argc, char **argv);
static int cmd_help(int argc, char **argv);

static const CliCommand commands[] = {
    {"serve", cmd_serve,
     "[--db PATH|postgresql://…] [--listen HOST:PORT] [--threads N] [--key PATH] "
     "[--max-body B] [--max-upload B] [--max-header B] [--max-connections N] [--timeout S]",
     "启动 Web 服务"},
    {"init", cmd_init, "[--db …] [--key PATH]", "创建或升级数据库结构，生成密钥文件（不创建任何账号）"},
    {"migrate", cmd_migrate, "[--db …]", "升级数据库结构"},
    {"demo", cmd_demo, "[--db …]", "载入演示数据（虚构单位与人员），生成演示账号"},
    {"backup", cmd_backup, "[--db …] --out FILE", "在线备份为一致的 SQLite 文件"},
    {"restore", cmd_restore, "[--db …] --from FILE", "从备份恢复到空数据库"},
    {"user", cmd_user,
     "add --login NAME --name 显示名 --role CODE[,CODE…] [--office CODE] --password-stdin [--db …]\n"
     "           | lock|unlock|disable|enable|reset-password --login NAME [--db …] | list [--db …]",
     "账号管理"},
    {"token", cmd_token,
     "create --user LOGIN [--days N] [--name 用途] [--db …] | revoke --id N [--db …] | list [--user LOGIN] [--db …]",
     "API 令牌（供系统对接，只显示一次，可吊销）"},
    {"role", cmd_role, "list [--db …]", "列出角色"},
    {"audit", cmd_audit, "verify|retention [--db …] [--key PATH]",
     "校验审计链完整性；按保留期清理过期审计记录"},
    {"bench-data", cmd_bench_data, "--clues N [--db …]", "生成基准测试用的虚构问题线索（仅 SQLite，勿用于正式数据库）"},
    {"routes", cmd_routes, "", "列出路由表（方法、路径、权限、CSRF、类型）"},
    {"policy", cmd_policy, "", "列出权限表（角色、权限、范围）"},
    {"version", cmd_version, "", "显示版本"},
    {"help", cmd_help, "", "显示帮助"},
};

static void usage(FILE *out) {
  fprintf(out, "纪巡 jixun %s — 纪检监察与巡察协同平台\n\n用法：\n", JX_VERSION);
  for (size_t i = 0; i < JX_COUNT(commands); i++)
    fprintf(out, "  jixun %-8s %s\n           %s\n", commands[i].name,
            commands[i].usage, commands[i].summary);
  fprintf(out, "\n--db 也可由环境变量 JIXUN_DB 给出；postgresql:// 开头的地址使用 PostgreSQL。\n");
}

static int cmd_version(int argc, char **argv) {
  printf("jixun %s\n", JX_VERSION);
  return 0;
}

static int cmd_help(int argc, char **argv) {
  usage(stdout);
  return 0;
}

int main(int argc, char **argv) {
  if (argc < 2) {
    usage(stderr);
    return 2;
  }
  const char *name = argv[1];
  if (str_eq(name, "--help") || str_eq(name, "-h")) name = "help";
  if (str_eq(name, "--version")) name = "version";
  for (size_t i = 0; i < JX_COUNT(commands); i++)
    if (str_eq(commands[i].name, name)) return commands[i].run(argc - 1, argv + 1);
  fprintf(stderr, "jixun: 未知命令 '%s'\n\n", argv[1]);
  usage(stderr);
  return 2;
}
