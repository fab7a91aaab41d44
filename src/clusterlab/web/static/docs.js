// Swagger UI for /docs, served from the vendored bundle (no CDN); kept out of the HTML for the CSP.
// The schema's address comes from the page (data-openapi), built by the server like every other URL.
window.ui = SwaggerUIBundle({
  url: document.currentScript.dataset.openapi,
  dom_id: "#swagger-ui",
  deepLinking: true,
  presets: [SwaggerUIBundle.presets.apis],
  layout: "BaseLayout",
});
