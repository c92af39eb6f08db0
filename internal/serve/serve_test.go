package serve

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/w2vtool/w2v/internal/query"
	"github.com/w2vtool/w2v/internal/search"
	"github.com/w2vtool/w2v/internal/vecfile"
)

// testModel is a model of 2,000 words w0, w1, … with random vectors of
// uneven lengths and a cosine graph index, read from a native file.
var testModel = sync.OnceValues(func() (*query.Model, error) {
	rng := rand.New(rand.NewPCG(11, 12))
	var text strings.Builder
	const n, dim = 2000, 16
	fmt.Fprintf(&text, "%d %d\n", n, dim)
	for i := range n {
		fmt.Fprintf(&text, "w%d", i)
		for range dim {
			fmt.Fprintf(&text, " %.4f", rng.NormFloat64()*float64(1+i%5))
		}
		text.WriteByte('\n')
	}
	v, err := vecfile.Read(strings.NewReader(text.String()), "m.txt", vecfile.Options{})
	if err != nil {
		return nil, err
	}
	fg, _, err := query.BuildIndex(context.Background(), v, search.GraphOptions{Seed: 1, Threads: 1})
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := vecfile.WriteNativeGraph(&buf, v, fg); err != nil {
		return nil, err
	}
	v, err = vecfile.Read(&buf, "m.w2v", vecfile.Options{})
	if err != nil {
		return nil, err
	}
	return query.NewModel(v)
})

func model(t testing.TB) *query.Model {
	t.Helper()
	m, err := testModel()
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// start serves h on a loopback port until the test ends; it returns the
// base URL and a function that stops the server and returns Serve's error.
func start(t testing.TB, srv *http.Server) (base string, stop func() error) {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- Serve(ctx, srv, ln) }()
	var once sync.Once
	var serr error
	stop = func() error {
		once.Do(func() {
			cancel()
			serr = <-done
		})
		return serr
	}
	t.Cleanup(func() { stop() })
	return "http://" + ln.Addr().String(), stop
}

// call is one request of the load test and the answer it must get: a
// status, and for a good request the exact body.
type call struct {
	method, path, body string
	status             int
	want               []byte
}

// expect returns the JSON the CLI writes for words answered by the
// Runner that run makes of o: what the server must send.
func expect(t *testing.T, run func(query.Options) (*query.Runner, error), o query.Options, words []string) []byte {
	t.Helper()
	r, err := run(o)
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	r.Out, r.Err, r.JSON = &out, io.Discard, true
	if err := r.Run(context.Background(), [][]string{words}, ""); err != nil {
		t.Fatalf("%q: %v", words, err)
	}
	return out.Bytes()
}

// calls returns good requests with the CLI's answers to them, and bad
// requests with the 4xx status each must get.
func calls(t *testing.T, m *query.Model, rng *rand.Rand) (good, bad []call) {
	word := func() string { return fmt.Sprintf("w%d", rng.IntN(m.V.Len())) }
	for range 60 {
		a, b, c := word(), word(), word()
		if a == b || b == c || a == c {
			continue
		}
		k := 1 + rng.IntN(20)
		o := query.Options{Top: k}
		good = append(good,
			call{"GET", fmt.Sprintf("/v1/nearest?word=%s&k=%d", a, k), "", 200, expect(t, m.Nearest, o, []string{a})},
			call{"GET", fmt.Sprintf("/v1/nearest?word=%s&word=%s&k=%d&exact=true", a, b, k), "", 200,
				expect(t, m.Nearest, query.Options{Top: k, Exact: true}, []string{a, b})},
			call{"POST", "/v1/nearest", fmt.Sprintf(`{"words": [%q], "k": %d, "metric": "dot"}`, c, k), 200,
				expect(t, m.Nearest, query.Options{Top: k, Metric: "dot"}, []string{c})},
			call{"POST", "/v1/nearest", fmt.Sprintf(`{"word": %q, "k": %d}`, c, k), 200, expect(t, m.Nearest, o, []string{c})},
			call{"GET", "/v1/analogy?" + url.Values{"query": {a + " " + b + " " + c}, "k": {fmt.Sprint(k)}}.Encode(), "", 200,
				expect(t, m.Analogy, o, []string{a, b, c})},
			call{"POST", "/v1/analogy", fmt.Sprintf(`{"query": "%s - %s + %s", "k": %d, "method": "mul"}`, a, b, c, k), 200,
				expect(t, m.Analogy, query.Options{Top: k, Method: search.Mul}, []string{a, "-", b, "+", c})},
			call{"GET", "/v1/analogy?" + url.Values{"query": {a + " " + b + " " + c}, "exact": {"1"}, "ef": {"30"}}.Encode(), "", 200,
				expect(t, m.Analogy, query.Options{Top: 10, Exact: true, Ef: 30}, []string{a, b, c})},
		)
	}
	// similarity and vector, checked against the file's values.
	for range 20 {
		a, b := word(), word()
		ra, _ := m.V.Index(a)
		rb, _ := m.V.Index(b)
		var cos float64
		for i, x := range m.V.Row(ra) {
			cos += float64(x) * float64(m.V.Row(rb)[i])
		}
		c, problem := m.Similarity(a, b) // the CLI's
		if problem != "" || math.Abs(float64(c)-cos) > 1e-6 {
			t.Fatalf("Similarity(%s, %s) = %v, %q; want %v", a, b, c, problem, cos)
		}
		sim, _ := json.Marshal(Similarity{Word1: a, Word2: b, Cosine: c})
		vec := make([]float32, m.V.Dim())
		for i, x := range m.V.Row(ra) {
			vec[i] = x * m.V.Norm(ra)
		}
		vj, _ := json.Marshal(Vector{Word: a, Norm: m.V.Norm(ra), Vector: vec})
		good = append(good,
			call{"GET", "/v1/similarity?word1=" + a + "&word2=" + b, "", 200, append(sim, '\n')},
			call{"POST", "/v1/vector", fmt.Sprintf(`{"word": %q}`, a), 200, append(vj, '\n')})
	}
	good = append(good, call{"GET", "/v1/info", "", 200, []byte(`{"words":2000,"dim":16,"index":true,"metric":"cosine","ef":100,"ef_calibrated":true,"max_k":1000,"max_ef":10000}` + "\n")})
	big := `{"words": ["` + strings.Repeat("w", MaxBody) + `"]}`
	bad = []call{
		{"GET", "/v1/nearest?word=nope", "", 400, nil},
		{"GET", "/v1/nearest?word=W1", "", 400, nil},
		{"GET", "/v1/nearest?word=w1&k=0", "", 400, nil},
		{"GET", "/v1/nearest?word=w1&k=1001", "", 400, nil},
		{"GET", "/v1/nearest?word=w1&k=ten", "", 400, nil},
		{"GET", "/v1/nearest?word=w1&ef=-1", "", 400, nil},
		{"GET", "/v1/nearest?word=w1&metric=manhattan", "", 400, nil},
		{"GET", "/v1/nearest?word=w1&bogus=1", "", 400, nil},
		{"GET", "/v1/nearest", "", 400, nil},
		{"POST", "/v1/nearest", `{"words": ["w1"`, 400, nil},
		{"POST", "/v1/nearest", `{"words": "w1"}`, 400, nil},
		{"POST", "/v1/nearest", `{"words": ["w1"], "top": 3}`, 400, nil},
		{"POST", "/v1/nearest", `{"words": ["w1"]} {}`, 400, nil},
		{"POST", "/v1/nearest", big, 413, nil},
		{"POST", "/v1/analogy", `{"query": "w1 w2"}`, 400, nil},
		{"POST", "/v1/analogy", `{"query": "w1 - - w2"}`, 400, nil},
		{"GET", "/v1/analogy?query=w1+w2+w3&method=div", "", 400, nil},
		{"GET", "/v1/analogy?query=w1+w2+w3&method=mul&metric=dot", "", 400, nil},
		{"GET", "/v1/similarity?word1=w1", "", 400, nil},
		{"GET", "/v1/vector?word=nope", "", 400, nil},
		{"DELETE", "/v1/nearest?word=w1", "", 405, nil},
		{"GET", "/v2/nearest?word=w1", "", 404, nil},
	}
	return good, bad
}

// TestServeLoad: 8 clients send 2,000 requests each at once, a tenth of
// them bad; every good request gets exactly the CLI's answer, every bad one
// a 4xx JSON error, none a 5xx, and the server answers afterwards and then
// shuts down cleanly.
func TestServeLoad(t *testing.T) {
	m := model(t)
	good, bad := calls(t, m, rand.New(rand.NewPCG(1, 2)))
	base, stop := start(t, NewServer(NewHandler(m, nil)))
	clients, perClient := 8, 2000
	if testing.Short() || raceEnabled {
		perClient = 100
	}
	var failures atomic.Int64
	var wg sync.WaitGroup
	for c := range clients {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(c), 3))
			client := &http.Client{Timeout: 30 * time.Second}
			for i := range perClient {
				cl := good[rng.IntN(len(good))]
				if i%10 == 0 {
					cl = bad[rng.IntN(len(bad))]
				}
				if err := check(client, base, cl); err != nil {
					if failures.Add(1) <= 10 {
						t.Error(err)
					}
				}
			}
		})
	}
	wg.Wait()
	if n := failures.Load(); n > 0 {
		t.Fatalf("%d of %d requests answered wrongly", n, clients*perClient)
	}
	if err := check(http.DefaultClient, base, good[len(good)-1]); err != nil {
		t.Fatalf("after the load: %v", err)
	}
	if err := stop(); err != nil {
		t.Fatalf("Serve after shutdown: %v", err)
	}
}

// check sends cl and compares the answer with what it must be.
func check(client *http.Client, base string, cl call) error {
	req, err := http.NewRequest(cl.method, base+cl.path, strings.NewReader(cl.body))
	if err != nil {
		return err
	}
	resp, err := client.Do(req)
	if err != nil {
		return fmt.Errorf("%s %s: %v", cl.method, cl.path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return fmt.Errorf("%s %s: %v", cl.method, cl.path, err)
	}
	what := fmt.Sprintf("%s %s %.80s", cl.method, cl.path, cl.body)
	if resp.StatusCode != cl.status {
		return fmt.Errorf("%s: status %d (%s), want %d", what, resp.StatusCode, body, cl.status)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
		return fmt.Errorf("%s: Content-Type %q", what, ct)
	}
	if cl.want != nil {
		if !bytes.Equal(body, cl.want) {
			return fmt.Errorf("%s: got\n%s\nwant (the CLI's)\n%s", what, body, cl.want)
		}
		return nil
	}
	var e errorBody
	if err := json.Unmarshal(body, &e); err != nil || e.Error == "" {
		return fmt.Errorf("%s: error body %q is not {\"error\": ...}", what, body)
	}
	return nil
}

// TestServeShutdown: when Serve's context is cancelled, a request in
// flight is finished and answered, new connections are refused, and Serve
// returns nil.
func TestServeShutdown(t *testing.T) {
	entered, release := make(chan struct{}), make(chan struct{})
	h := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		close(entered)
		<-release
		writeJSON(w, http.StatusOK, Info{Words: 1})
	})
	base, stop := start(t, NewServer(h))
	answered := make(chan error, 1)
	go func() {
		resp, err := http.Get(base + "/slow")
		if err == nil {
			if resp.StatusCode != http.StatusOK {
				err = fmt.Errorf("status %d", resp.StatusCode)
			}
			resp.Body.Close()
		}
		answered <- err
	}()
	<-entered
	stopped := make(chan error, 1)
	go func() { stopped <- stop() }()
	// Shutdown closes the listener at once: wait for that, then let the
	// request in flight finish.
	deadline := time.Now().Add(5 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", strings.TrimPrefix(base, "http://"), time.Second)
		if err != nil {
			break
		}
		c.Close()
		if time.Now().After(deadline) {
			t.Fatal("still accepting connections 5 s after shutdown began")
		}
		time.Sleep(10 * time.Millisecond)
	}
	select {
	case err := <-stopped:
		t.Fatalf("Serve returned %v before the request in flight was answered", err)
	default:
	}
	close(release)
	if err := <-answered; err != nil {
		t.Errorf("request in flight: %v", err)
	}
	if err := <-stopped; err != nil {
		t.Errorf("Serve = %v, want nil", err)
	}
}

// TestServeSlowClient: a client that never finishes its headers is cut off
// after ReadHeaderTimeout, and the server answers others meanwhile.
func TestServeSlowClient(t *testing.T) {
	srv := NewServer(NewHandler(model(t), nil))
	if srv.ReadHeaderTimeout != ReadHeaderTimeout || srv.ReadTimeout != ReadTimeout ||
		srv.WriteTimeout != WriteTimeout || srv.IdleTimeout != IdleTimeout {
		t.Fatalf("server timeouts %v %v %v %v", srv.ReadHeaderTimeout, srv.ReadTimeout, srv.WriteTimeout, srv.IdleTimeout)
	}
	srv.ReadHeaderTimeout = 200 * time.Millisecond // the test's, to be quick
	base, _ := start(t, srv)
	c, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	if _, err := io.WriteString(c, "GET /v1/info HTTP/1.1\r\nHost: x\r\n"); err != nil {
		t.Fatal(err)
	}
	if err := check(http.DefaultClient, base, call{"GET", "/v1/info", "", 200, nil}); err != nil && !strings.Contains(err.Error(), "error body") {
		t.Errorf("another client meanwhile: %v", err)
	}
	c.SetReadDeadline(time.Now().Add(5 * time.Second))
	start := time.Now()
	rest, err := io.ReadAll(c) // ends when the server closes the connection
	if err != nil {
		t.Fatalf("the slow connection was not closed: %v", err)
	}
	if d := time.Since(start); d > 4*time.Second {
		t.Errorf("slow client cut off after %v", d)
	}
	if len(rest) > 0 && !bytes.Contains(rest, []byte("408")) {
		t.Errorf("slow client got %q", rest)
	}
}

// BenchmarkServe sends mixed good requests from 8 concurrent clients over
// loopback and reports requests/s and the 99th percentile latency.
func BenchmarkServe(b *testing.B) {
	m := model(b)
	base, _ := start(b, NewServer(NewHandler(m, nil)))
	paths := []string{
		"/v1/nearest?word=w17&k=10", "/v1/nearest?word=w1234&k=10&exact=true",
		"/v1/analogy?query=w1+w2+w3", "/v1/analogy?query=w4+w5+w6&method=mul",
		"/v1/similarity?word1=w1&word2=w2", "/v1/vector?word=w3",
	}
	const clients = 8
	lat := make([][]time.Duration, clients)
	var next atomic.Int64
	b.ResetTimer()
	var wg sync.WaitGroup
	for c := range clients {
		wg.Go(func() {
			tr := &http.Transport{MaxIdleConnsPerHost: 1}
			client := &http.Client{Transport: tr}
			defer tr.CloseIdleConnections()
			for {
				i := int(next.Add(1)) - 1
				if i >= b.N {
					return
				}
				t0 := time.Now()
				resp, err := client.Get(base + paths[i%len(paths)])
				if err != nil {
					b.Error(err)
					return
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				if resp.StatusCode != 200 {
					b.Errorf("status %d", resp.StatusCode)
				}
				lat[c] = append(lat[c], time.Since(t0))
			}
		})
	}
	wg.Wait()
	b.StopTimer()
	all := slices.Concat(lat...)
	slices.Sort(all)
	if len(all) > 0 {
		b.ReportMetric(float64(len(all))/b.Elapsed().Seconds(), "req/s")
		b.ReportMetric(float64(all[(len(all)*99)/100].Microseconds())/1000, "p99-ms")
	}
}

// subwordModel opens a random fastText model (16 dimensions, n-grams in
// 500 buckets) of a few hundred words.
func subwordModel(t *testing.T) *query.Model {
	t.Helper()
	rng := rand.New(rand.NewPCG(5, 6))
	a := vecfile.DefaultFastTextArgs(16)
	a.Bucket = 500
	var words []string
	for stem := range strings.FieldsSeq("house mouse horse cat dog table chair river water light night sound") {
		words = append(words, stem, stem+"s", "un"+stem, stem+"ing")
	}
	ft := &vecfile.FastText{Args: a, Words: words, Counts: make([]int64, len(words))}
	ft.Input = make([]float32, ft.InputRows()*ft.Dim())
	ft.Output = make([]float32, len(words)*ft.Dim())
	for i := range ft.Input {
		ft.Input[i] = rng.Float32() - 0.5
	}
	path := filepath.Join(t.TempDir(), "m.bin")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := vecfile.WriteFastText(f, ft); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	v, err := vecfile.Open(path, vecfile.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { v.Close() })
	m, err := query.NewModel(v)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// TestServeSubwords: with a fastText model, words outside the vocabulary
// (misspellings) get the vector of their n-grams: every endpoint answers
// as the command line does, byte for byte, naming them in from_subwords,
// while 8 clients ask about different ones at once.
func TestServeSubwords(t *testing.T) {
	m := subwordModel(t)
	// The command line's similarity turns subwords on in the Model's own
	// Lexicon; a second Model keeps that apart from the server's.
	cli, err := query.NewModel(m.V)
	if err != nil {
		t.Fatal(err)
	}
	cli.Lex.UseSubwords(nil)
	var good []call
	for i, w := range strings.Fields("hous mousse horsse catt dogg tabel chiar rivver watter lihgt nigth sownd") {
		in := m.V.Word(i * 4)
		o := query.Options{Top: 5, Subwords: true}
		near := expect(t, m.Nearest, o, []string{w})
		if !bytes.Contains(near, []byte(`"from_subwords":["`+w+`"]`)) {
			t.Fatalf("the CLI's answer for %s does not mark it: %s", w, near)
		}
		cos, problem := cli.Similarity(in, w)
		rows, _ := cli.Lex.Lookup([]string{in, w})
		if problem != "" {
			t.Fatal(problem)
		}
		sim, _ := json.Marshal(Similarity{Word1: in, Word2: w, Cosine: cos, FromSubwords: cli.Lex.SubwordWords([]string{in, w}, rows)})
		raw := make([]float32, m.V.Dim()) // the mean of its n-grams' rows
		if !m.V.Subwords().Vector(raw, w) {
			t.Fatalf("%s has no n-grams", w)
		}
		good = append(good,
			call{"GET", "/v1/nearest?word=" + w + "&k=5", "", 200, near},
			call{"POST", "/v1/nearest", fmt.Sprintf(`{"words": [%q, %q], "k": 5, "metric": "dot"}`, w, in), 200,
				expect(t, m.Nearest, query.Options{Top: 5, Subwords: true, Metric: "dot"}, []string{w, in})},
			call{"GET", "/v1/analogy?" + url.Values{"query": {in + " " + w + " " + m.V.Word(1)}}.Encode(), "", 200,
				expect(t, m.Analogy, query.Options{Top: 10, Subwords: true}, []string{in, w, m.V.Word(1)})},
			call{"GET", "/v1/similarity?word1=" + in + "&word2=" + w, "", 200, append(sim, '\n')},
			call{"GET", "/v1/vector?word=" + w, "", 200, vectorBody(t, m, w, raw)},
		)
	}
	base, _ := start(t, NewServer(NewHandler(m, nil)))
	// Asked alone first, then by 8 clients at once in orders of their own.
	for _, cl := range good {
		if err := check(http.DefaultClient, base, cl); err != nil {
			t.Fatal(err)
		}
	}
	perClient := 400
	if testing.Short() || raceEnabled {
		perClient = 60
	}
	var failures atomic.Int64
	var wg sync.WaitGroup
	for c := range 8 {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(c), 9))
			client := &http.Client{Timeout: 30 * time.Second}
			for range perClient {
				if err := check(client, base, good[rng.IntN(len(good))]); err != nil && failures.Add(1) <= 5 {
					t.Error(err)
				}
			}
		})
	}
	wg.Wait()
	if n := failures.Load(); n > 0 {
		t.Fatalf("%d requests answered wrongly", n)
	}
}

// vectorBody returns the answer /v1/vector must give for w, an unseen
// word, after checking that the server's vector is its n-gram mean raw.
func vectorBody(t *testing.T, m *query.Model, w string, raw []float32) []byte {
	t.Helper()
	vec, norm, sub, problem := m.WordVector(w, true)
	if problem != "" || !sub {
		t.Fatalf("WordVector(%s): from subwords %v, %q", w, sub, problem)
	}
	var n2 float64
	for i, x := range raw {
		n2 += float64(x) * float64(x)
		if math.Abs(float64(vec[i]-x)) > 1e-6 {
			t.Fatalf("vector of %s: %v; want the mean of its n-grams' rows %v", w, vec, raw)
		}
	}
	if math.Abs(math.Sqrt(n2)-float64(norm)) > 1e-6 {
		t.Fatalf("norm of %s: %v; want %v", w, norm, math.Sqrt(n2))
	}
	b, _ := json.Marshal(Vector{Word: w, Norm: norm, Vector: vec, FromSubwords: []string{w}})
	return append(b, '\n')
}

// TestInfoReportsEf checks that /v1/info gives the breadth a request with
// ef 0 walks: the calibrated one stored with the index, the fixed default
// for an index stored without one, and none without an index.
func TestInfoReportsEf(t *testing.T) {
	const text = "4 2\na 1 0\nb 0 1\nc 1 1\nd 1 -1\n"
	tests := []struct {
		name  string
		index bool
		ef    int // stored with the index; 0: never calibrated
		want  string
	}{
		{"no index", false, 0, `{"words":4,"dim":2,"index":false,"metric":"cosine","max_k":1000,"max_ef":10000}`},
		{"uncalibrated", true, 0, `{"words":4,"dim":2,"index":true,"metric":"cosine","ef":100,"max_k":1000,"max_ef":10000}`},
		{"calibrated", true, 250, `{"words":4,"dim":2,"index":true,"metric":"cosine","ef":250,"ef_calibrated":true,"max_k":1000,"max_ef":10000}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			v, err := vecfile.Read(strings.NewReader(text), "m.txt", vecfile.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if tt.index {
				fg, _, err := query.BuildIndex(context.Background(), v, search.GraphOptions{Seed: 1, Threads: 1})
				if err != nil {
					t.Fatal(err)
				}
				fg.Ef = tt.ef
				var buf bytes.Buffer
				if err := vecfile.WriteNativeGraph(&buf, v, fg); err != nil {
					t.Fatal(err)
				}
				if v, err = vecfile.Read(&buf, "m.w2v", vecfile.Options{}); err != nil {
					t.Fatal(err)
				}
			}
			m, err := query.NewModel(v)
			if err != nil {
				t.Fatal(err)
			}
			rec := httptest.NewRecorder()
			NewHandler(m, io.Discard).ServeHTTP(rec, httptest.NewRequest("GET", "/v1/info", nil))
			if got := strings.TrimSpace(rec.Body.String()); rec.Code != 200 || got != tt.want {
				t.Errorf("GET /v1/info = %d %s, want 200 %s", rec.Code, got, tt.want)
			}
		})
	}
}
