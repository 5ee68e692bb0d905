// GraphiQL for Chancery's /graphql/: queries shareable in the URL (?query=...), CSRF token sent
// for signed-in editors (the view checks it for them only).
(function () {
  "use strict";
  var EXAMPLE = [
    "# Chancery's GraphQL API: Ctrl-Enter runs the query. docs/api.md has more.",
    "{",
    '  timeline(first: 5, filters: {person: "andrzej-duda"}) {',
    "    edges { node { slug title date { edtf display earliest latest } } }",
    "  }",
    "}",
    ""
  ].join("\n");
  var parameters = new URLSearchParams(window.location.search);

  function remember(name, value) {
    if (value) {
      parameters.set(name, value);
    } else {
      parameters.delete(name);
    }
    history.replaceState(null, "", "?" + parameters.toString());
  }

  var headers = {};
  var csrfToken = Cookies.get("csrftoken");
  if (csrfToken) {
    headers["x-csrftoken"] = csrfToken;
  }
  var fetcher = GraphiQL.createFetcher({ url: window.location.href.split("?")[0], headers: headers });
  var root = ReactDOM.createRoot(document.getElementById("graphiql"));
  root.render(
    React.createElement(GraphiQL, {
      fetcher: fetcher,
      defaultQuery: EXAMPLE,
      query: parameters.get("query") || undefined,
      variables: parameters.get("variables") || undefined,
      onEditQuery: function (value) { remember("query", value); },
      onEditVariables: function (value) { remember("variables", value); },
      defaultEditorToolsVisibility: true,
      inputValueDeprecation: true
    })
  );
})();
