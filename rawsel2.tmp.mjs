import Database from 'better-sqlite3';
const db = new Database(process.argv[2], { readonly: true });
function t(label, sql, args = []) {
  const st = db.prepare(sql).raw(true);
  const c0 = process.cpuUsage(); let n = 0, last = -1;
  for (;;) { const rows = st.all(...args, last); if (!rows.length) break; n += rows.length; last = rows[rows.length-1][0]; }
  const c = process.cpuUsage(c0); console.log(label, n, Math.round((c.user+c.system)/1000), 'ms');
}
t('idquery', `SELECT id, query FROM requests WHERE id > ? ORDER BY id LIMIT 8000`);
t('idstatus', `SELECT id, status FROM requests WHERE id > ? ORDER BY id LIMIT 8000`);
t('idpath', `SELECT id, path FROM requests WHERE id > ? ORDER BY id LIMIT 8000`);
console.log(db.prepare("select sql from sqlite_master where name='requests'").get().sql);
console.log(db.pragma('page_size'), db.prepare('select count(*) n, sum(length(headers)) h, sum(length(cookies)) c, sum(length(query)) q, sum(length(path)) p, sum(length(user_agent)) u from requests').get());
