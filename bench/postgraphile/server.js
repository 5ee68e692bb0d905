// PostGraphile 4 over the benchmark database, as its docs recommend for production:
// library mode on Node's http server, no GraphiQL, no query log, connection-filter with relations
// (for the region and person filters). Usage: node server.js DATABASE_URL PORT
const http = require("http");
const { postgraphile } = require("postgraphile");
const ConnectionFilterPlugin = require("postgraphile-plugin-connection-filter");

const [databaseUrl, port] = process.argv.slice(2);
const middleware = postgraphile(databaseUrl, "public", {
  appendPlugins: [ConnectionFilterPlugin],
  graphileBuildOptions: { connectionFilterRelations: true },
  disableQueryLog: true,
  graphiql: false,
  enableQueryBatching: false,
  retryOnInitFail: false,
  ignoreRBAC: true,
});
http.createServer(middleware).listen(Number(port), "127.0.0.1", () => {
  console.log(`postgraphile listening on 127.0.0.1:${port}`);
});
