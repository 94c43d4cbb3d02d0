// The interactive API docs (Swagger UI, served from the swagger-ui-bundle package: no CDN).
// A file, not an inline script: the pages' Content-Security-Policy allows scripts of this
// server only.
window.addEventListener("load", function () {
  window.ui = SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger-ui" });
});
