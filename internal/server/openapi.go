package server

import (
	_ "embed"
	"net/http"
)

// OpenAPI is the OpenAPI 3.1 description of /api/v1/, served at
// /api/v1/openapi.json without a token (it holds no data).
//
//go:embed openapi.json
var OpenAPI []byte

func serveOpenAPI(w http.ResponseWriter, r *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.Write(OpenAPI)
}
