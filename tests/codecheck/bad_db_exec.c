/* Non-literal SQL outside src/store/: rejected. */
void q(Db *db, const char *sql) { db_exec(db, sql); }
