// Package report formats what the commands print for people: aligned
// tables, counts with thousands separators, nouns that agree with their
// numbers, and percentages. (Progress reports and their compact counts,
// 12.3k, are package progress's.)
package report

import (
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/rivo/uniseg"
)

// Table writes aligned columns; Right marks the columns aligned right.
// Columns are as wide as their cells' display width in a terminal, where a
// CJK character or an emoji takes two columns and a combining mark none.
type Table struct {
	Right []bool
	rows  [][]string
}

// Add appends a row of cells.
func (t *Table) Add(cells ...string) { t.rows = append(t.rows, cells) }

// Write writes the rows to w, each line starting with indent, two spaces
// between columns and no trailing spaces.
func (t *Table) Write(w io.Writer, indent string) error {
	var width []int
	for _, r := range t.rows {
		for i, c := range r {
			if i >= len(width) {
				width = append(width, 0)
			}
			width[i] = max(width[i], uniseg.StringWidth(c))
		}
	}
	var b, line strings.Builder
	for _, r := range t.rows {
		line.Reset()
		line.WriteString(indent)
		for i, c := range r {
			pad := strings.Repeat(" ", width[i]-uniseg.StringWidth(c))
			if i > 0 {
				line.WriteString("  ")
			}
			if i < len(t.Right) && t.Right[i] {
				line.WriteString(pad + c)
			} else {
				line.WriteString(c + pad)
			}
		}
		b.WriteString(strings.TrimRight(line.String(), " "))
		b.WriteByte('\n')
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// Thousands formats n with comma separators: 71290 → "71,290".
func Thousands[T ~int | ~int64](n T) string {
	s := fmt.Sprint(int64(n))
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 && s[i-1] != '-' {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

// CountOf writes n and the noun that agrees with it: "1 word", "2 words",
// "71,290 words".
func CountOf(n int, singular, plural string) string {
	if n == 1 {
		return "1 " + singular
	}
	return Thousands(n) + " " + plural
}

// Percent writes num/den as a percentage with two decimals, or "-" when
// den is 0.
func Percent(num, den int) string {
	if den == 0 {
		return "-"
	}
	return fmt.Sprintf("%.2f%%", 100*float64(num)/float64(den))
}

// Since is the time elapsed since t, to the millisecond: "1.234s".
func Since(t time.Time) string { return time.Since(t).Round(time.Millisecond).String() }
