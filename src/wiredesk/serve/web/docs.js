// The API docs: Swagger UI from the local swagger-ui-dist package, reading this app's schema.
"use strict";
window.addEventListener("load", function () {
  window.ui = window.SwaggerUIBundle({
    url: new URL("openapi.json", document.baseURI).href,
    dom_id: "#swagger-ui",
    deepLinking: true,
    validatorUrl: null, // no schema validation badge from another host
    presets: [window.SwaggerUIBundle.presets.apis],
    layout: "BaseLayout",
  });
});
