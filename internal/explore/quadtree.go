package explore

import "math"

// quadtree summarises points in the plane for Barnes–Hut: each cell keeps
// the number of points in it and the sum of their positions, so that a
// far cell acts as one heavy point at their centre of mass.
type quadtree struct {
	nodes []qnode
	cells []qcell // after build: what repulsion reads of each node, packed
}

// qcell is what repulsion needs of a node: its centre of mass, its width
// squared, its count and its children.
type qcell struct {
	mx, my float64
	width2 float64 // (2·half)²
	count  float64
	child  int32
}

// qnode is a square cell of a quadtree.
type qnode struct {
	cx, cy, half float64 // the cell's centre and half its width
	sx, sy       float64 // sum of the positions of its points
	count        int32   // points in the cell
	child        int32   // index of the first of its four children; −1 for a leaf
}

// minHalf bounds the depth: points closer than this (relative to the map)
// share a leaf, as if they coincided.
const minHalf = 1e-12

// build makes the tree of the points y (x, y of each in turn), inserted in
// order, so the tree does not depend on anything else.
func (q *quadtree) build(y []float64) {
	minX, maxX, minY, maxY := math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	for i := 0; i < len(y); i += 2 {
		minX, maxX = min(minX, y[i]), max(maxX, y[i])
		minY, maxY = min(minY, y[i+1]), max(maxY, y[i+1])
	}
	half := max(maxX-minX, maxY-minY)/2*(1+1e-9) + 1e-9
	q.nodes = append(q.nodes[:0], qnode{cx: (minX + maxX) / 2, cy: (minY + maxY) / 2, half: half, child: -1})
	floor := half * minHalf
	for i := 0; i < len(y); i += 2 {
		q.insert(y[i], y[i+1], floor)
	}
	q.cells = q.cells[:0]
	for _, nd := range q.nodes {
		c := qcell{width2: 4 * nd.half * nd.half, count: float64(nd.count), child: nd.child}
		if nd.count > 0 {
			c.mx, c.my = nd.sx/c.count, nd.sy/c.count
		}
		q.cells = append(q.cells, c)
	}
}

// insert adds the point (x, y) to the tree.
func (q *quadtree) insert(x, y, floor float64) {
	n := int32(0)
	for {
		nd := &q.nodes[n]
		if nd.child < 0 {
			if nd.count == 0 || nd.half < floor || nd.sx == x*float64(nd.count) && nd.sy == y*float64(nd.count) {
				// An empty leaf, or one of points at this very place.
				nd.count++
				nd.sx += x
				nd.sy += y
				return
			}
			// Split the leaf: its points (all at one place) move to the
			// child cell that holds them.
			c := int32(len(q.nodes))
			h := nd.half / 2
			cx, cy := nd.cx, nd.cy
			for k := range 4 {
				q.nodes = append(q.nodes, qnode{cx: cx + h*float64(2*(k&1)-1), cy: cy + h*float64(2*(k>>1)-1), half: h, child: -1})
			}
			nd = &q.nodes[n]
			nd.child = c
			old := &q.nodes[c+quadrant(nd, nd.sx/float64(nd.count), nd.sy/float64(nd.count))]
			old.count, old.sx, old.sy = nd.count, nd.sx, nd.sy
		}
		nd.count++
		nd.sx += x
		nd.sy += y
		n = nd.child + quadrant(nd, x, y)
	}
}

// quadrant returns which child of nd holds (x, y): bit 0 east, bit 1 north.
func quadrant(nd *qnode, x, y float64) int32 {
	var k int32
	if x >= nd.cx {
		k |= 1
	}
	if y >= nd.cy {
		k |= 2
	}
	return k
}

// repulsion returns, for a point at (x, y), z = Σ_j w_j and the force
// Σ_j w_j² (x − x_j, y − y_j) with w_j = 1/(1 + d_j²) over the other
// points j, cells narrower than θ times their distance taken whole. Points
// at the very place of (x, y), itself among them, count in z only, less
// itself. stack is scratch space, returned for reuse.
func (q *quadtree) repulsion(x, y, theta float64, stack []int32) (z, fx, fy float64, _ []int32) {
	theta2 := theta * theta
	stack = append(stack[:0], 0)
	for len(stack) > 0 {
		nd := &q.cells[stack[len(stack)-1]]
		stack = stack[:len(stack)-1]
		cnt := nd.count
		if cnt == 0 {
			continue
		}
		dx, dy := x-nd.mx, y-nd.my
		d2 := dx*dx + dy*dy
		if nd.child >= 0 && nd.width2 >= theta2*d2 {
			for k := range int32(4) {
				stack = append(stack, nd.child+k)
			}
			continue
		}
		if d2 == 0 {
			z += cnt - 1
			continue
		}
		w := 1 / (1 + d2)
		z += cnt * w
		cw := cnt * w * w
		fx += cw * dx
		fy += cw * dy
	}
	return z, fx, fy, stack
}
