package export

import (
	"bufio"
	"encoding/json"
	"io"
	"strconv"
	"sync/atomic"
)

// The files of a projector export, as the Embedding Projector's "Load"
// dialog and its projector_config.json name them.
const (
	ProjectorVectors  = "vectors.tsv"
	ProjectorMetadata = "metadata.tsv"
	ProjectorConfig   = "projector_config.json"
)

// ProjectorFiles returns the names of the files WriteProjector writes.
func ProjectorFiles() []string { return []string{ProjectorVectors, ProjectorMetadata, ProjectorConfig} }

// WriteVectorsTSV writes the rows × dim matrix vecs as the Embedding
// Projector reads tensors: one row a line, values separated by tabs, no
// header. Values are written in the fewest digits that read back to the
// same float32. done, if not nil, counts the rows written.
func WriteVectorsTSV(w io.Writer, vecs []float32, rows, dim int, done *atomic.Int64) error {
	if err := checkMatrix(vecs, rows, dim); err != nil {
		return err
	}
	bw := bufio.NewWriterSize(w, 64<<10)
	var line []byte
	for r := range rows {
		line = line[:0]
		for d, x := range vecs[r*dim : (r+1)*dim] {
			if d > 0 {
				line = append(line, '\t')
			}
			line = strconv.AppendFloat(line, float64(x), 'g', -1, 32)
		}
		line = append(line, '\n')
		if _, err := bw.Write(line); err != nil {
			return err
		}
		if r%1024 == 1023 {
			advance(done, 1024)
		}
	}
	advance(done, rows%1024)
	return bw.Flush()
}

// WriteMetadataTSV writes the words as the Embedding Projector reads
// metadata: with a single column there is no header line, one word a line,
// escaped (see Escape) so that each stays on its own line.
func WriteMetadataTSV(w io.Writer, words []string) error { return WriteWords(w, words) }

// projectorConfig is projector_config.json, as TensorBoard's projector
// plugin reads it.
type projectorConfig struct {
	Embeddings []projectorEmbedding `json:"embeddings"`
}

type projectorEmbedding struct {
	TensorName   string `json:"tensorName"`
	TensorShape  []int  `json:"tensorShape"`
	TensorPath   string `json:"tensorPath"`
	MetadataPath string `json:"metadataPath"`
}

// WriteProjectorConfig writes projector_config.json for one tensor named
// name, of rows × dim, in the files WriteProjector writes.
func WriteProjectorConfig(w io.Writer, name string, rows, dim int) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(projectorConfig{Embeddings: []projectorEmbedding{{
		TensorName: name, TensorShape: []int{rows, dim}, TensorPath: ProjectorVectors, MetadataPath: ProjectorMetadata,
	}}})
}

// WriteProjector writes an Embedding Projector export into the directory
// dir (see WriteDir): vectors.tsv, metadata.tsv and projector_config.json
// naming the tensor name. done, if not nil, counts the rows written.
func WriteProjector(dir, name string, words []string, vecs []float32, dim int, done *atomic.Int64) error {
	if err := checkMatrix(vecs, len(words), dim); err != nil {
		return err
	}
	return WriteDir(dir, ProjectorFiles(), func(tmp string) error {
		if err := writeFile(tmp, ProjectorVectors, func(w io.Writer) error { return WriteVectorsTSV(w, vecs, len(words), dim, done) }); err != nil {
			return err
		}
		if err := writeFile(tmp, ProjectorMetadata, func(w io.Writer) error { return WriteMetadataTSV(w, words) }); err != nil {
			return err
		}
		return writeFile(tmp, ProjectorConfig, func(w io.Writer) error { return WriteProjectorConfig(w, name, len(words), dim) })
	})
}
