package job

import (
	"context"
	"fmt"
	"io"
	"net"

	"github.com/w2vtool/w2v/internal/query"
	"github.com/w2vtool/w2v/internal/report"
	"github.com/w2vtool/w2v/internal/serve"
)

// Serve answers queries of the model file model over HTTP on addr until
// ctx is cancelled, then finishes the requests in flight (see serve.Serve).
// It says on s.Err what it serves and where, and when it has stopped; with
// logRequests it also logs each request there.
func Serve(ctx context.Context, s Streams, model, addr string, logRequests bool) error {
	return withModel(s, model, func(m *query.Model) error {
		ln, err := net.Listen("tcp", addr)
		if err != nil {
			return fmt.Errorf("listen on %s: %w", addr, err)
		}
		var log io.Writer
		if logRequests {
			log = s.Err
		}
		index := "no index"
		if m.Graph != nil {
			index = m.Graph.Metric.String() + " index"
		}
		fmt.Fprintf(s.Err, "serve: %s, %s × %d, %s, on http://%s\n", model, report.CountOf(m.V.Len(), "word", "words"), m.V.Dim(), index, ln.Addr())
		if err := serve.Serve(ctx, serve.NewServer(serve.NewHandler(m, log)), ln); err != nil {
			return err
		}
		fmt.Fprintln(s.Err, "serve: stopped")
		return nil
	})
}
