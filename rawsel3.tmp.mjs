import Database from 'better-sqlite3';
const db = new Database(process.argv[2], { readonly: true });
for (const c of ['ip','user_agent','method','host','path','query','cookies','headers','referer'])
  console.log(c, db.prepare(`select count(distinct ${c}) n from requests`).get().n);
