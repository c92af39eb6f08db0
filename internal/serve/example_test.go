package serve_test

import (
	"fmt"
	"log"
	"net/http/httptest"
	"strings"

	"github.com/w2vtool/w2v/internal/query"
	"github.com/w2vtool/w2v/internal/serve"
	"github.com/w2vtool/w2v/internal/vecfile"
)

func ExampleHandler() {
	text := "4 2\nking 1 0.1\nqueen 0.9 0.4\nman 0.2 1\nwoman 0.1 0.9\n"
	v, err := vecfile.Read(strings.NewReader(text), "toy.txt", vecfile.Options{})
	if err != nil {
		log.Fatal(err)
	}
	m, err := query.NewModel(v)
	if err != nil {
		log.Fatal(err)
	}
	h := serve.NewHandler(m, nil) // no request log
	for _, req := range []string{"/v1/nearest?word=king&k=2", "/v1/nearest?word=prince"} {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest("GET", req, nil))
		fmt.Print(w.Code, " ", w.Body)
	}
	// Output:
	// 200 {"query":"king","neighbors":[{"word":"queen","score":0.94968873,"cosine":0.94968873},{"word":"man","score":0.29271427,"cosine":0.29271427}]}
	// 400 {"error":"\"prince\" is not in the vocabulary"}
}
