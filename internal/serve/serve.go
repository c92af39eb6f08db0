// Package serve answers a model's queries over HTTP as JSON: nearest
// words, analogies, the similarity of two words and a word's vector. It
// answers through the same query.Model Runners as the command line, so the
// server and the CLI cannot answer differently, and shares one model
// (memory-mapped when it is a native file) among all requests. A word
// outside the vocabulary of a model with fastText n-grams gets the vector
// of its n-grams, as on the command line, and answers name it in
// "from_subwords"; each request keeps such vectors in buffers of its own.
//
// Every query endpoint takes its parameters either from the URL of a GET
// or from the JSON object POSTed to it (the same names). Bad requests
// are answered 4xx with a JSON object {"error": "..."}; a request never
// takes the server down.
package serve

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/w2vtool/w2v/internal/query"
	"github.com/w2vtool/w2v/internal/search"
)

// Limits on requests.
const (
	// MaxK is the most answers a query may ask for.
	MaxK = 1000
	// MaxEf is the widest graph walk a query may ask for.
	MaxEf = 10000
	// MaxBody is the largest request body, in bytes.
	MaxBody = 64 << 10
	// maxWords is the most words a nearest or analogy query may hold.
	maxWords = 100
)

// Handler answers the API's requests over m. It is safe for concurrent
// use.
type Handler struct {
	m   *query.Model
	mux *http.ServeMux
	log io.Writer
	mu  sync.Mutex // serialises log lines
}

// NewHandler returns the handler of m's API. If log is not nil, each
// request is logged to it, a line each.
func NewHandler(m *query.Model, log io.Writer) *Handler {
	h := &Handler{m: m, mux: http.NewServeMux(), log: log}
	h.mux.HandleFunc("/v1/nearest", h.nearest)
	h.mux.HandleFunc("/v1/analogy", h.analogy)
	h.mux.HandleFunc("/v1/similarity", h.similarity)
	h.mux.HandleFunc("/v1/vector", h.vector)
	h.mux.HandleFunc("/v1/info", h.info)
	h.mux.HandleFunc("/", func(w http.ResponseWriter, _ *http.Request) {
		writeError(w, http.StatusNotFound, "no such endpoint; see /v1/info, /v1/nearest, /v1/analogy, /v1/similarity, /v1/vector")
	})
	return h
}

// ServeHTTP answers a request.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if h.log == nil {
		h.mux.ServeHTTP(w, r)
		return
	}
	start := time.Now()
	rec := &statusRecorder{ResponseWriter: w, status: http.StatusOK}
	h.mux.ServeHTTP(rec, r)
	h.mu.Lock()
	fmt.Fprintf(h.log, "%s %s %s %q %d %s\n", start.UTC().Format(time.RFC3339), r.RemoteAddr, r.Method,
		r.URL.RequestURI(), rec.status, time.Since(start).Round(time.Microsecond))
	h.mu.Unlock()
}

// statusRecorder remembers the status a handler wrote, for the log.
type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (s *statusRecorder) WriteHeader(code int) {
	s.status = code
	s.ResponseWriter.WriteHeader(code)
}

// Request holds the parameters of every endpoint; each uses some of them.
// In a GET they are URL parameters of the same names, word repeated for
// several words and exact as "true" or "false".
type Request struct {
	Words  []string `json:"words"`  // nearest: the words whose sum to search near (GET: word=…&word=…; one may be "word")
	Query  string   `json:"query"`  // analogy: "a b c" or "king - man + woman"
	K      int      `json:"k"`      // answers (default 10, at most MaxK)
	Method string   `json:"method"` // analogy: "add" (default) or "mul"
	Metric string   `json:"metric"` // "cosine", "dot" or "euclidean" (default: the index's, else cosine)
	Exact  bool     `json:"exact"`  // scan all rows even if the model has an index
	Ef     int      `json:"ef"`     // breadth of the index's walk (0: its default)
	Word1  string   `json:"word1"`  // similarity
	Word2  string   `json:"word2"`  // similarity
	Word   string   `json:"word"`   // vector
}

// errorBody is the JSON of every error answer.
type errorBody struct {
	Error string `json:"error"`
}

// problem is a request the server cannot answer, and its status.
type problem struct {
	status int
	msg    string
}

func (p *problem) Error() string { return p.msg }

func badRequest(format string, args ...any) error {
	return &problem{http.StatusBadRequest, fmt.Sprintf(format, args...)}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.WriteHeader(status)
	json.NewEncoder(w).Encode(v)
}

func writeError(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, errorBody{msg})
}

// fail answers err: its status if it is a problem, else 500.
func fail(w http.ResponseWriter, err error) {
	var p *problem
	if errors.As(err, &p) {
		writeError(w, p.status, p.msg)
		return
	}
	writeError(w, http.StatusInternalServerError, err.Error())
}

// parse reads a request's parameters, from its URL for GET and from its
// JSON body for POST.
func parse(w http.ResponseWriter, r *http.Request) (Request, error) {
	req := Request{K: 10}
	switch r.Method {
	case http.MethodGet, http.MethodHead:
		q := r.URL.Query()
		for name := range q {
			switch name {
			case "word", "query", "k", "method", "metric", "exact", "ef", "word1", "word2":
			default:
				return req, badRequest("unknown parameter %q", name)
			}
		}
		req.Words = q["word"]
		if len(req.Words) == 1 {
			req.Word = req.Words[0]
		}
		req.Query, req.Method, req.Metric = q.Get("query"), q.Get("method"), q.Get("metric")
		req.Word1, req.Word2 = q.Get("word1"), q.Get("word2")
		var err error
		if s := q.Get("k"); s != "" {
			if req.K, err = strconv.Atoi(s); err != nil {
				return req, badRequest("k: %q is not a whole number", s)
			}
		}
		if s := q.Get("ef"); s != "" {
			if req.Ef, err = strconv.Atoi(s); err != nil {
				return req, badRequest("ef: %q is not a whole number", s)
			}
		}
		if s := q.Get("exact"); s != "" {
			if req.Exact, err = strconv.ParseBool(s); err != nil {
				return req, badRequest("exact: %q is not true or false", s)
			}
		}
	case http.MethodPost:
		// The body is read as JSON whatever its Content-Type, so that
		// curl -d works without -H.
		dec := json.NewDecoder(http.MaxBytesReader(w, r.Body, MaxBody))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&req); err != nil {
			var tooBig *http.MaxBytesError
			if errors.As(err, &tooBig) {
				return req, &problem{http.StatusRequestEntityTooLarge, fmt.Sprintf("request body over %d bytes", MaxBody)}
			}
			return req, badRequest("malformed JSON: %v", err)
		}
		if dec.More() {
			return req, badRequest("malformed JSON: more than one value")
		}
	default:
		w.Header().Set("Allow", "GET, POST")
		return req, &problem{http.StatusMethodNotAllowed, "use GET or POST"}
	}
	switch {
	case req.K < 1 || req.K > MaxK:
		return req, badRequest("k must be 1 to %d, got %d", MaxK, req.K)
	case req.Ef < 0 || req.Ef > MaxEf:
		return req, badRequest("ef must be 0 (the default) to %d, got %d", MaxEf, req.Ef)
	}
	return req, nil
}

// options are the query.Options of req.
func (req Request) options() (query.Options, error) {
	o := query.Options{Top: req.K, Metric: req.Metric, Exact: req.Exact, Ef: req.Ef, Subwords: true}
	if req.Metric != "" {
		if _, err := search.ParseMetric(req.Metric); err != nil {
			return o, badRequest("%v", err)
		}
	}
	switch strings.ToLower(req.Method) {
	case "", "add", "3cosadd":
		o.Method = search.Add
	case "mul", "3cosmul":
		o.Method = search.Mul
	default:
		return o, badRequest("method must be add or mul, got %q", req.Method)
	}
	return o, nil
}

// ask answers one query with run's Runner, as the CLI would.
func (h *Handler) ask(ctx context.Context, run func(query.Options) (*query.Runner, error), o query.Options, words []string) (any, error) {
	runner, err := run(o)
	if err != nil {
		return nil, badRequest("%v", err)
	}
	ans, err := runner.Answer(ctx, [][]string{words})
	if err != nil {
		return nil, err
	}
	a := ans[0]
	if a.Problem != "" {
		return nil, badRequest("%s", a.Problem)
	}
	return runner.Result(a.Words, a.Title, a.Hits), nil
}

func (h *Handler) nearest(w http.ResponseWriter, r *http.Request) {
	req, err := parse(w, r)
	if len(req.Words) == 0 && req.Word != "" {
		req.Words = []string{req.Word} // POST {"word": ...}, as /v1/vector takes it
	}
	if err == nil && (len(req.Words) == 0 || len(req.Words) > maxWords) {
		err = badRequest("give 1 to %d words (GET: word=…; POST: \"words\": […])", maxWords)
	}
	if err == nil && req.Method != "" {
		err = badRequest("method is for analogy")
	}
	var o query.Options
	if err == nil {
		o, err = req.options()
	}
	for _, wd := range req.Words {
		if err == nil && (wd == "" || strings.ContainsAny(wd, " \t\n\r")) {
			err = badRequest("%q is not a word", wd)
		}
	}
	var res any
	if err == nil {
		res, err = h.ask(r.Context(), h.m.Nearest, o, req.Words)
	}
	if err != nil {
		fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, res)
}

func (h *Handler) analogy(w http.ResponseWriter, r *http.Request) {
	req, err := parse(w, r)
	words := strings.Fields(req.Query)
	if err == nil && (len(words) == 0 || len(words) > maxWords) {
		err = badRequest(`give a query of 1 to %d words: "a b c" or "king - man + woman"`, maxWords)
	}
	var o query.Options
	if err == nil {
		o, err = req.options()
	}
	var res any
	if err == nil {
		res, err = h.ask(r.Context(), h.m.Analogy, o, words)
	}
	if err != nil {
		fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, res)
}

// Similarity is the answer of /v1/similarity.
type Similarity struct {
	Word1  string  `json:"word1"`
	Word2  string  `json:"word2"`
	Cosine float32 `json:"cosine"`
	// FromSubwords lists the words outside the vocabulary given the vector of their n-grams.
	FromSubwords []string `json:"from_subwords,omitempty"`
}

func (h *Handler) similarity(w http.ResponseWriter, r *http.Request) {
	req, err := parse(w, r)
	if err == nil && (req.Word1 == "" || req.Word2 == "") {
		err = badRequest("give word1 and word2")
	}
	res := Similarity{Word1: req.Word1, Word2: req.Word2}
	if err == nil {
		var p string
		if res.Cosine, res.FromSubwords, p = h.m.SimilarityOf(req.Word1, req.Word2, true); p != "" {
			err = badRequest("%s", p)
		}
	}
	if err != nil {
		fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, res)
}

// Vector is the answer of /v1/vector: a word's vector as its file holds
// it (an unseen word's: the mean of its n-grams' rows), and its length.
type Vector struct {
	Word   string    `json:"word"`
	Norm   float32   `json:"norm"`
	Vector []float32 `json:"vector"`
	// FromSubwords is [word] when the word is outside the vocabulary and
	// got the vector of its n-grams: the same field, of the same type, as
	// the other answers'.
	FromSubwords []string `json:"from_subwords,omitempty"`
}

func (h *Handler) vector(w http.ResponseWriter, r *http.Request) {
	req, err := parse(w, r)
	if err == nil && req.Word == "" {
		err = badRequest("give a word")
	}
	res := Vector{Word: req.Word}
	if err == nil {
		var sub bool
		var p string
		if res.Vector, res.Norm, sub, p = h.m.WordVector(req.Word, true); p != "" {
			err = badRequest("%s", p)
		}
		if sub {
			res.FromSubwords = []string{req.Word}
		}
	}
	if err != nil {
		fail(w, err)
		return
	}
	writeJSON(w, http.StatusOK, res)
}

// Info is the answer of /v1/info.
type Info struct {
	Words  int    `json:"words"`
	Dim    int    `json:"dim"`
	Index  bool   `json:"index"`
	Metric string `json:"metric"` // the index's, else cosine
	// Ef is the index's walk breadth for requests that leave ef at 0:
	// the one `w2v index` calibrated, when Calibrated, else the fixed
	// default (0 without an index).
	Ef         int  `json:"ef,omitempty"`
	Calibrated bool `json:"ef_calibrated,omitempty"`
	MaxK       int  `json:"max_k"`
	MaxEf      int  `json:"max_ef"`
}

func (h *Handler) info(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET")
		writeError(w, http.StatusMethodNotAllowed, "use GET")
		return
	}
	in := Info{Words: h.m.V.Len(), Dim: h.m.V.Dim(), Metric: search.Cosine.String(), MaxK: MaxK, MaxEf: MaxEf}
	if g := h.m.Graph; g != nil {
		in.Index, in.Metric = true, g.Metric.String()
		in.Ef, in.Calibrated = g.SearchEf(), g.Ef > 0
	}
	writeJSON(w, http.StatusOK, in)
}

// Timeouts of a Server: a client too slow to send its request, or to read
// the answer, is cut off rather than holding a connection.
const (
	ReadHeaderTimeout = 5 * time.Second
	ReadTimeout       = 10 * time.Second
	WriteTimeout      = 60 * time.Second
	IdleTimeout       = 120 * time.Second
	// ShutdownTimeout is how long Serve waits for requests in flight
	// when it is stopped.
	ShutdownTimeout = 10 * time.Second
)

// NewServer returns an http.Server for h with the package's timeouts.
func NewServer(h http.Handler) *http.Server {
	return &http.Server{
		Handler:           h,
		ReadHeaderTimeout: ReadHeaderTimeout,
		ReadTimeout:       ReadTimeout,
		WriteTimeout:      WriteTimeout,
		IdleTimeout:       IdleTimeout,
		MaxHeaderBytes:    16 << 10,
	}
}

// Serve answers requests on ln with srv until ctx is cancelled, then shuts
// down gracefully: it stops accepting, lets the requests in flight finish
// (for up to ShutdownTimeout) and returns nil. A failure to serve is
// returned at once.
func Serve(ctx context.Context, srv *http.Server, ln net.Listener) error {
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve %s: %w", ln.Addr(), err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.Background(), ShutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		srv.Close()
		return fmt.Errorf("shut down %s: %w", ln.Addr(), err)
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("serve %s: %w", ln.Addr(), err)
	}
	return nil
}
