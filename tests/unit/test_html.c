/* test_html.c: the escaping HTML writer and the small web helpers. */
#include "unit.h"
#include "web/html.h"

static void test_escapes_every_s(void **state) {
  Buf b = BUF_INIT;
  html_printf(&b, "<a href=\"%s\">%s</a>", "/x?a=1&b=\"2\"", "<script>'x'</script>");
  assert_string_equal(buf_str(&b),
                      "<a href=\"/x?a=1&amp;b=&quot;2&quot;\">"
                      "&lt;script&gt;&#39;x&#39;&lt;/script&gt;</a>");
  buf_release(&b);
}

static void test_numbers_and_percent(void **state) {
  Buf b = BUF_INIT;
  html_printf(&b, "%d|%lld|%zu|%5.1f|100%%|%c", -3, (long long)1 << 40,
              (size_t)7, 2.25, '<');
  assert_string_equal(buf_str(&b), "-3|1099511627776|7|  2.2|100%|&lt;");
  buf_release(&b);
}

static void test_precision_keeps_utf8_whole(void **state) {
  Buf b = BUF_INIT;
  /* "纪巡" is 6 bytes; 4 bytes would cut the second character. */
  html_printf(&b, "[%.4s][%.3s][%.10s][%.2s]", "纪巡", "纪巡", "纪巡", "a&b");
  assert_string_equal(buf_str(&b), "[纪][纪][纪巡][a&amp;]");
  buf_release(&b);
}

static void test_null_string_is_empty(void **state) {
  Buf b = BUF_INIT;
  const char *volatile none = NULL; /* hide the NULL from -Wformat */
  html_printf(&b, "<%s>", none);
  assert_string_equal(buf_str(&b), "<>");
  buf_release(&b);
}

static void test_url_encode(void **state) {
  Buf b = BUF_INIT;
  url_encode(&b, "/a b/纪?x=1&y");
  assert_string_equal(buf_str(&b), "%2Fa%20b%2F%E7%BA%AA%3Fx%3D1%26y");
  buf_release(&b);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_escapes_every_s),
      cmocka_unit_test(test_numbers_and_percent),
      cmocka_unit_test(test_precision_keeps_utf8_whole),
      cmocka_unit_test(test_null_string_is_empty),
      cmocka_unit_test(test_url_encode),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
