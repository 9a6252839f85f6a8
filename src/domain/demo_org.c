/* demo_org.c: the fictional 明澜市 and its counties 北岭县 and 南渡区 for
** `jixun demo` — jurisdictions, offices, sector tags, about 150 units, 60
** people and 40 staff.  Every name is invented; no real place's officials
** appear.  Written through the org_* rules, so the demo obeys them. */
#include "domain/org.h"

#include <stdlib.h>

/* Business demo accounts get the city's jurisdiction (they see both
** counties); administrators keep none. */
static const char *const city_logins[] = {
    "xcb", "xcz_leader", "xcz_deputy", "xcz_member", "ags", "xfs",
    "dfzf", "lxs", "cbbm", "ldxz", "zgllr"};

/* The office each business account works in (ldxz, the leading group,
** and the team roles have none; the teams are linked through staff). */
static const struct {
  const char *login, *office;
} user_offices[] = {
    {"xcb", "ML.XCB"}, {"ags", "ML.AGS"},   {"cbbm", "ML.JJ1"},
    {"lxs", "ML.JJ2"}, {"dfzf", "ML.DFZF"}, {"xfs", "ML.XFS"},
};

static const struct {
  const char *code, *name, *commission, *inspection, *audit;
} jurs[] = {
    {"ML", "明澜市", "明澜市纪委监委", "中共明澜市委巡察工作领导小组办公室",
     "明澜市审计局"},
    {"ML.BL", "北岭县", "北岭县纪委监委", "中共北岭县委巡察工作领导小组办公室",
     "北岭县审计局"},
    {"ML.ND", "南渡区", "南渡区纪委监委", "中共南渡区委巡察工作领导小组办公室",
     "南渡区审计局"},
};

static const struct {
  const char *code, *name;
} tags[] = {
    {"edu", "教育"},         {"health", "卫生健康"}, {"medins", "医保"},
    {"housing", "住建"},     {"agri", "农业农村"},   {"civil", "民政"},
    {"water", "水利"},       {"transport", "交通运输"}, {"natres", "自然资源"},
    {"finance", "财政"},     {"soe", "国有企业"},    {"town", "乡镇（街道）"},
};

/* Offices per jurisdiction: suffix, name (after the commission or
** place name), kind. */
static const struct {
  const char *suffix, *name, *kind;
} offices[] = {
    {"XFS", "纪委监委信访室", "petition"},
    {"AGS", "纪委监委案件监督管理室", "case_mgmt"},
    {"DFZF", "纪委监委党风政风监督室", "conduct"},
    {"JJ1", "纪委监委第一监督检查室", "supervision"},
    {"JJ2", "纪委监委第二监督检查室", "supervision"},
    {"SC1", "纪委监委第一审查调查室", "investigation"},
    {"SLS", "纪委监委案件审理室", "trial"},
    {"PZ1", "纪委监委派驻教育局纪检监察组", "stationed"},
    {"PZ2", "纪委监委派驻卫生健康部门纪检监察组", "stationed"},
    {"PZ3", "纪委监委派驻住建局纪检监察组", "stationed"},
    {"PZ4", "纪委监委派驻农业农村局纪检监察组", "stationed"},
    {"PZ5", "纪委监委派驻民政局纪检监察组", "stationed"},
    {"XCB", "委巡察工作领导小组办公室", "inspection"},
    {"ZZB", "委组织部", "organisation"},
    {"SJJ", "审计局", "audit"},
};

/* Departments per jurisdiction: code part, name part, sector, 派驻组. */
static const struct {
  const char *part, *name, *sector, *office;
} depts[] = {
    {"EDU", "教育局", "edu", "PZ1"},
    {"HEALTH", "卫生健康局", "health", "PZ2"},
    {"MEDINS", "医疗保障局", "medins", "PZ2"},
    {"HOUSING", "住房和城乡建设局", "housing", "PZ3"},
    {"AGRI", "农业农村局", "agri", "PZ4"},
    {"CIVIL", "民政局", "civil", "PZ5"},
    {"WATER", "水利局", "water", "PZ4"},
    {"TRANS", "交通运输局", "transport", "PZ3"},
    {"NATRES", "自然资源局", "natres", "PZ3"},
    {"FIN", "财政局", "finance", ""},
};

/* Units below a department: parent part, code part, name (after the
** place name), sector. */
static const struct {
  const char *parent, *part, *name, *sector;
} city_units[] = {
    {"EDU", "S01", "第一中学", "edu"},
    {"EDU", "S02", "第二中学", "edu"},
    {"EDU", "S03", "第三中学", "edu"},
    {"EDU", "S04", "第四中学", "edu"},
    {"EDU", "S05", "第五中学", "edu"},
    {"EDU", "S06", "第六中学", "edu"},
    {"EDU", "S07", "实验小学", "edu"},
    {"EDU", "S08", "第二实验小学", "edu"},
    {"EDU", "S09", "特殊教育学校", "edu"},
    {"EDU", "S10", "职业技术学校", "edu"},
    {"EDU", "S11", "教育考试院", "edu"},
    {"HEALTH", "H01", "人民医院", "health"},
    {"HEALTH", "H02", "第二人民医院", "health"},
    {"HEALTH", "H03", "中医院", "health"},
    {"HEALTH", "H04", "妇幼保健院", "health"},
    {"HEALTH", "H05", "疾病预防控制中心", "health"},
    {"HEALTH", "H06", "精神卫生中心", "health"},
    {"HEALTH", "H07", "急救中心", "health"},
    {"MEDINS", "M01", "医疗保障事务中心", "medins"},
    {"MEDINS", "M02", "医保基金监管所", "medins"},
    {"HOUSING", "J01", "住房公积金管理中心", "housing"},
    {"HOUSING", "J02", "城市建设投资集团有限公司", "soe"},
    {"HOUSING", "J03", "建设工程质量安全监督站", "housing"},
    {"HOUSING", "J04", "城市更新服务中心", "housing"},
    {"AGRI", "A01", "农业技术推广中心", "agri"},
    {"AGRI", "A02", "动物疫病预防控制中心", "agri"},
    {"AGRI", "A03", "农村经营管理站", "agri"},
    {"CIVIL", "C01", "社会福利院", "civil"},
    {"CIVIL", "C02", "救助管理站", "civil"},
    {"CIVIL", "C03", "殡仪馆", "civil"},
    {"CIVIL", "C04", "老年养护院", "civil"},
    {"WATER", "W01", "水利工程管理处", "water"},
    {"TRANS", "T01", "公路事业发展中心", "transport"},
    {"TRANS", "T02", "公共交通集团有限公司", "soe"},
    {"NATRES", "N01", "不动产登记中心", "natres"},
};

static const struct {
  const char *parent, *part, *name, *sector;
} county_units[] = {
    {"EDU", "S01", "第一中学", "edu"},
    {"EDU", "S02", "第二中学", "edu"},
    {"EDU", "S03", "第三中学", "edu"},
    {"EDU", "S04", "实验小学", "edu"},
    {"EDU", "S05", "职业中学", "edu"},
    {"EDU", "S06", "幼儿园", "edu"},
    {"HEALTH", "H01", "人民医院", "health"},
    {"HEALTH", "H02", "中医院", "health"},
    {"HEALTH", "H03", "妇幼保健院", "health"},
    {"HEALTH", "H04", "疾病预防控制中心", "health"},
    {"MEDINS", "M01", "医疗保障服务中心", "medins"},
    {"HOUSING", "J01", "城乡建设投资有限公司", "soe"},
    {"HOUSING", "J02", "房屋征收服务中心", "housing"},
    {"AGRI", "A01", "农业综合服务中心", "agri"},
    {"AGRI", "A02", "高标准农田建设服务中心", "agri"},
    {"CIVIL", "C01", "社会福利中心", "civil"},
    {"CIVIL", "C02", "殡葬服务中心", "civil"},
    {"WATER", "W01", "水库管理所", "water"},
    {"WATER", "W02", "河道管理所", "water"},
    {"EDU", "S07", "第二实验小学", "edu"},
    {"TRANS", "T01", "公路养护中心", "transport"},
    {"NATRES", "N01", "不动产登记中心", "natres"},
};

/* Towns (乡镇/街道) of each county, with two villages each. */
static const struct {
  const char *jur, *part, *name;
} towns[] = {
    {"ML.BL", "TN01", "青石镇"}, {"ML.BL", "TN02", "柳河镇"},
    {"ML.BL", "TN03", "松坪乡"}, {"ML.BL", "TN04", "云溪镇"},
    {"ML.ND", "TN01", "江滨街道"}, {"ML.ND", "TN02", "渡口街道"},
    {"ML.ND", "TN03", "枫林镇"},   {"ML.ND", "TN04", "南湖镇"},
};
static const char *const village_names[] = {"东岗村", "西溪村", "桥头社区",
                                            "新苑社区"};

/* The staff pool: invented names. */
static const char *const staff_names[40] = {
    "邵明川", "戚远航", "阮静秋", "蓝书衡", "郁晚晴", "滕嘉木", "苗思齐",
    "卜云舒", "谈正则", "俞怀瑜", "殷若谷", "莫子衿", "祁承宇", "甘霁月",
    "花景行", "屈晏清", "明知微", "童向晚", "言慕白", "柯以宁", "房宜修",
    "池远山", "路清和", "瞿方圆", "贝南星", "龚望川", "邬文澜", "车晓棠",
    "项怀远", "宓清越", "井一帆", "隋澄",   "冼安",   "那静",   "麦秋实",
    "訾文博", "晏舟",   "查新禾", "芮白石", "乐之远"};
static const char *const expertise[] = {"财务", "工程", "审计", "案件查办",
                                        "法律", "信访", "组织人事", "医疗卫生",
                                        "教育管理", "农村集体三资"};
static const char *const staff_offices[] = {"JJ1", "JJ2", "SC1", "AGS", "DFZF",
                                            "XCB", "SJJ", "SLS"};

/* People (干部): surnames × given names, combined so no pair repeats. */
static const char *const p_surnames[12] = {"柴", "鲍", "邝", "窦", "蒯", "晁",
                                           "厍", "逯", "桂", "郦", "漆", "钭"};
static const char *const p_given[10] = {"启文", "秋禾", "书远", "雨桐", "见山",
                                        "若水", "嘉言", "知秋", "念慈", "叙言"};

static int fail(Buf *err, const char *what, const Buf *why) {
  buf_printf(err, "演示数据（%s）：%s", what, buf_str(why));
  return -1;
}

/* Code of an office: "<jur>.<suffix>". */
static void office_code(char *out, size_t n, const char *jur, const char *sfx) {
  snprintf(out, n, "%s.%s", jur, sfx);
}

/* Code part of a jurisdiction for unit codes: "ML" → "ML", "ML.BL" → "BL". */
static const char *jur_part(const char *jur) {
  const char *d = strrchr(jur, '.');
  return d ? d + 1 : jur;
}

static int add_unit(Db *db, const OrgViewer *v, const char *code,
                    const char *name, const char *jur, const char *parent,
                    const char *level, const char *office, const char *sector,
                    Buf *err) {
  const char *sectors[1] = {sector};
  OrgUnitIn in = {.code = code, .name = name, .jurisdiction_code = jur,
                  .level = level, .parent_code = parent,
                  .office_code = office, .sectors = sectors,
                  .n_sectors = sector && *sector ? 1 : 0};
  Buf why = BUF_INIT;
  const char *field;
  int rc = 0;
  if (org_unit_save(db, v, 0, &in, NULL, &why, &field) != ORG_OK)
    rc = fail(err, code, &why);
  buf_release(&why);
  return rc;
}

static int load_registry(Db *db, const OrgViewer *v, Buf *err) {
  Buf why = BUF_INIT;
  const char *field;
  char code[64], name[160], office[64], parent[64];
  int rc = -1;
  for (size_t i = 0; i < JX_COUNT(jurs); i++) {
    OrgJurIn in = {jurs[i].code, jurs[i].name, jurs[i].commission,
                   jurs[i].inspection, jurs[i].audit, (int64_t)i};
    if (org_jur_save(db, v, &in, 1, &why, &field) != ORG_OK)
      return fail(err, jurs[i].name, &why);
  }
  for (size_t i = 0; i < JX_COUNT(tags); i++)
    if (org_tag_save(db, tags[i].code, tags[i].name, (int64_t)(i + 1) * 10, 1,
                     &why, &field) != ORG_OK)
      return fail(err, tags[i].name, &why);
  for (size_t j = 0; j < JX_COUNT(jurs); j++) {
    const char *place = j == 0 ? "市" : jurs[j].name;
    for (size_t i = 0; i < JX_COUNT(offices); i++) {
      int64_t id;
      office_code(code, sizeof code, jurs[j].code, offices[i].suffix);
      /* 明澜市纪委监委… / 北岭县纪委监委…; 市委巡察办 / 北岭县委巡察办 */
      if (str_starts(offices[i].name, "委"))
        snprintf(name, sizeof name, "%s%s%s", j == 0 ? "明澜" : "",
                 j == 0 ? "市" : jurs[j].name, offices[i].name);
      else
        snprintf(name, sizeof name, "%s%s", j == 0 ? "明澜市" : place,
                 offices[i].name);
      OrgOfficeIn in = {code, jurs[j].code, name, offices[i].kind, ""};
      if (org_office_save(db, v, 0, &in, &id, &why, &field) != ORG_OK)
        return fail(err, name, &why);
    }
  }
  for (size_t j = 0; j < JX_COUNT(jurs); j++) {
    const char *jur = jurs[j].code, *jp = jur_part(jur);
    const char *level = j == 0 ? "city" : "county";
    for (size_t d = 0; d < JX_COUNT(depts); d++) {
      snprintf(code, sizeof code, "%s-%s", jp, depts[d].part);
      snprintf(name, sizeof name, "%s%s", jurs[j].name, depts[d].name);
      office[0] = 0;
      if (*depts[d].office)
        office_code(office, sizeof office, jur, depts[d].office);
      if (add_unit(db, v, code, name, jur, "", level, office, depts[d].sector,
                   err))
        goto done;
    }
    size_t n = j == 0 ? JX_COUNT(city_units) : JX_COUNT(county_units);
    for (size_t u = 0; u < n; u++) {
      const char *pp = j == 0 ? city_units[u].parent : county_units[u].parent;
      snprintf(parent, sizeof parent, "%s-%s", jp, pp);
      snprintf(code, sizeof code, "%s-%s-%s", jp, pp,
               j == 0 ? city_units[u].part : county_units[u].part);
      snprintf(name, sizeof name, "%s%s", jurs[j].name,
               j == 0 ? city_units[u].name : county_units[u].name);
      office[0] = 0;
      for (size_t d = 0; d < JX_COUNT(depts); d++)
        if (str_eq(depts[d].part, pp) && *depts[d].office)
          office_code(office, sizeof office, jur, depts[d].office);
      if (add_unit(db, v, code, name, jur, parent, level, office,
                   j == 0 ? city_units[u].sector : county_units[u].sector,
                   err))
        goto done;
    }
  }
  for (size_t t = 0; t < JX_COUNT(towns); t++) {
    const char *jp = jur_part(towns[t].jur);
    const char *county = str_eq(towns[t].jur, "ML.BL") ? "北岭县" : "南渡区";
    snprintf(code, sizeof code, "%s-%s", jp, towns[t].part);
    snprintf(name, sizeof name, "%s%s", county, towns[t].name);
    if (add_unit(db, v, code, name, towns[t].jur, "", "township", "", "town",
                 err))
      goto done;
    /* Each town's health centre and school hang under the county's
     * departments. */
    for (size_t k = 0; k < 2; k++) {
      char dcode[160], dparent[96], doffice[96];
      snprintf(dparent, sizeof dparent, "%s-%s", jp, k ? "EDU" : "HEALTH");
      snprintf(dcode, sizeof dcode, "%s-%s-%s", dparent, k ? "Z" : "Y",
               towns[t].part);
      snprintf(parent, sizeof parent, "%s%s%s", county, towns[t].name,
               k ? "中心学校" : "卫生院");
      office_code(doffice, sizeof doffice, towns[t].jur, k ? "PZ1" : "PZ2");
      if (add_unit(db, v, dcode, parent, towns[t].jur, dparent, "township",
                   doffice, k ? "edu" : "health", err))
        goto done;
    }
    for (size_t k = 0; k < 2; k++) {
      char vcode[160];
      snprintf(vcode, sizeof vcode, "%s-V%zu", code, k + 1);
      snprintf(parent, sizeof parent, "%s%s%s", county, towns[t].name,
               village_names[(t + k) % JX_COUNT(village_names)]);
      if (add_unit(db, v, vcode, parent, towns[t].jur, code, "village", "",
                   "agri", err))
        goto done;
    }
  }
  rc = 0;
done:
  buf_release(&why);
  return rc;
}

/* The unit code of a county hospital or school, for people and ties. */
static const char *const people_units[] = {
    "ML-EDU",        "ML-EDU-S01",   "ML-EDU-S03",   "ML-HEALTH",
    "ML-HEALTH-H01", "ML-MEDINS",    "ML-MEDINS-M01", "ML-HOUSING",
    "ML-HOUSING-J02", "ML-AGRI",     "ML-CIVIL",     "ML-CIVIL-C03",
    "BL-EDU",        "BL-EDU-S01",   "BL-HEALTH",    "BL-HEALTH-H01",
    "BL-MEDINS",     "BL-AGRI",      "BL-TN01",      "BL-CIVIL-C02",
    "ND-EDU",        "ND-EDU-S02",   "ND-HEALTH-H01", "ND-HOUSING",
    "ND-HOUSING-J01", "ND-AGRI-A02", "ND-TN03",      "ND-CIVIL",
    "ND-WATER",      "ND-TN01"};
static const char *const posts[][2] = {
    {"局长", "正处级"},       {"党委书记", "正处级"},   {"副局长", "副处级"},
    {"校长", "正科级"},       {"院长", "正科级"},       {"副院长", "副科级"},
    {"财务科科长", "正科级"}, {"总会计师", "副科级"},   {"办公室主任", "正科级"},
    {"党支部书记", "副科级"},
};

static int load_people(Db *db, const OrgViewer *v, Buf *err) {
  Buf why = BUF_INIT;
  const char *field;
  for (int i = 0; i < 60; i++) {
    char code[16], name[32];
    snprintf(code, sizeof code, "RY%04d", i + 1);
    snprintf(name, sizeof name, "%s%s", p_surnames[i % 12],
             p_given[(i / 12 + i) % 10]);
    const char *unit = people_units[i % JX_COUNT(people_units)];
    int city = str_starts(unit, "ML-");
    OrgPersonIn in = {
        .code = code, .name = name, .unit_code = unit,
        .post = posts[i % JX_COUNT(posts)][0],
        .rank = posts[i % JX_COUNT(posts)][1],
        .managed_by = i % 10 < 3 ? (city ? "市委管理" : "县（区）委管理")
                                 : "主管部门党组（党委）管理",
        .note = "",
        .party_member = i % 7 != 3,
        .supervisory_object = i % 11 != 5,
    };
    if (org_person_save(db, v, 0, &in, NULL, &why, &field) != ORG_OK) {
      int rc = fail(err, name, &why);
      buf_release(&why);
      return rc;
    }
  }
  buf_release(&why);
  return 0;
}

static int load_staff(Db *db, const OrgViewer *v, Buf *err) {
  Buf why = BUF_INIT;
  const char *field;
  int rc = -1;
  for (int i = 0; i < 40; i++) {
    /* 20 city, 10 北岭县, 10 南渡区 */
    const char *jur = i < 20 ? "ML" : i < 30 ? "ML.BL" : "ML.ND";
    char code[16], office[64], tags_text[64];
    snprintf(code, sizeof code, "LL%03d", i + 1);
    office_code(office, sizeof office, jur,
                staff_offices[i % JX_COUNT(staff_offices)]);
    snprintf(tags_text, sizeof tags_text, "%s、%s",
             expertise[i % JX_COUNT(expertise)],
             expertise[(i * 3 + 1) % JX_COUNT(expertise)]);
    OrgStaffIn in = {
        .code = code, .name = staff_names[i], .office_code = office,
        .jurisdiction_code = jur,
        .rank = i % 4 == 0 ? "四级调研员" : i % 4 == 1 ? "一级主任科员"
                : i % 4 == 2 ? "二级主任科员" : "三级主任科员",
        .post = i % 5 == 0 ? "副主任" : "干部", .note = "",
        .expertise = tags_text, .active = 1};
    int64_t id;
    if (org_staff_save(db, v, 0, &in, &id, &why, &field) != ORG_OK) {
      fail(err, staff_names[i], &why);
      goto done;
    }
    OrgStaffPostIn post = {"", "", "", "", ""};
    if (i % 8 == 0) { /* a former county standing deputy secretary */
      post = (OrgStaffPostIn){"县区纪委常务副书记",
                              i % 16 ? "南渡区纪委监委" : "北岭县纪委监委",
                              "", "2017-03-01", "2021-12-31"};
    } else if (i % 8 == 3) {
      post = (OrgStaffPostIn){"派驻纪检监察组组长", "明澜市纪委监委", "",
                              "2019-06-01", "2023-05-31"};
    } else if (i % 8 == 5) {
      post = (OrgStaffPostIn){"巡察组副组长", "明澜市委巡察办", "",
                              "2022-02-01", "2022-07-31"};
    } else if (i % 8 == 6) {
      post = (OrgStaffPostIn){"审计组组长", "明澜市审计局", "", "2020-01-01",
                              "2024-12-31"};
    }
    if (post.title[0] &&
        org_staff_post_add(db, v, id, &post, &why, &field) != ORG_OK) {
      fail(err, staff_names[i], &why);
      goto done;
    }
    if (i % 10 != 9 &&
        org_staff_avail_add(db, id, i % 3 ? "2026-09-01" : "2027-01-01",
                            i % 3 ? "2027-06-30" : "2027-12-31", "", &why,
                            &field) != ORG_OK) {
      fail(err, staff_names[i], &why);
      goto done;
    }
  }
  /* A few declared ties (回避 facts for the rounds module to find). */
  static const struct {
    int staff;
    const char *unit, *kind, *note, *from, *to;
  } ties[] = {
      {4, "BL-HEALTH-H01", "relative", "配偶任该院副院长", "", ""},
      {7, "ML-EDU-S03", "former", "曾任该校副校长", "2018-09-01", "2022-08-31"},
      {11, "ND-HOUSING", "former", "曾任该局财务科科长", "2015-03-01",
       "2019-02-28"},
      {22, "BL-EDU", "relative", "兄长任该局办公室主任", "", ""},
      {33, "ND-TN03", "other", "曾在该镇挂职", "2023-01-01", "2023-12-31"},
  };
  for (size_t k = 0; k < JX_COUNT(ties); k++) {
    OrgStaffTieIn in = {ties[k].unit, ties[k].kind, ties[k].note,
                        ties[k].from, ties[k].to};
    char code[16];
    snprintf(code, sizeof code, "LL%03d", ties[k].staff + 1);
    OrgStaffFilter f = {.q = code};
    OrgStaff *rows = NULL;
    size_t n = 0;
    if (org_staff_list(db, v, &f, 1, 0, &rows, &n, NULL) != DB_OK || n != 1) {
      org_staff_free(rows, n);
      buf_puts(&why, "找不到人员");
      fail(err, code, &why);
      goto done;
    }
    int64_t sid = rows[0].id;
    org_staff_free(rows, n);
    if (org_staff_tie_add(db, v, sid, &in, &why, &field) != ORG_OK) {
      fail(err, code, &why);
      goto done;
    }
  }
  rc = 0;
done:
  buf_release(&why);
  return rc;
}

int demo_org_load(Db *db, Buf *err) {
  OrgViewer v;
  org_viewer_system(&v);
  for (size_t i = 0; i < JX_COUNT(city_logins); i++) {
    Stmt *st = db_stmt(db, STMT_ORG_DEMO_USER_JUR);
    if (!st) return -1;
    db_bind_text(st, 1, "ML");
    db_bind_text(st, 2, city_logins[i]);
    int rc = db_step(st);
    db_reset(st);
    if (rc != DB_DONE) {
      buf_puts(err, "设置演示账号辖区失败");
      return -1;
    }
  }
  if (load_registry(db, &v, err) || load_people(db, &v, err) ||
      load_staff(db, &v, err))
    return -1;
  /* The offices exist now: the commission and inspection accounts work
   * in one each (clue grants go to offices). */
  for (size_t i = 0; i < JX_COUNT(user_offices); i++) {
    Stmt *st = db_stmt(db, STMT_CLUEDEMO_USER_OFFICE);
    if (!st) return -1;
    db_bind_text(st, 1, user_offices[i].office);
    db_bind_text(st, 2, user_offices[i].login);
    int rc = db_step(st);
    db_reset(st);
    if (rc != DB_DONE) {
      buf_puts(err, "设置演示账号部门失败");
      return -1;
    }
  }
  return 0;
}
