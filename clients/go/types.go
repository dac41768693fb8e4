package voxd

/*
#include <voxd/voxd.h>
*/
import "C"

import "unsafe"

// Vec3, Color, Voxel and Box have the layout of their voxd.h structs, so slices of them are passed to the
// library without copying (the sizes are checked below at compile time).
type Vec3 struct{ X, Y, Z int32 }

// Color is RGBA8; alpha 0 is empty.
type Color struct{ R, G, B, A uint8 }

type Voxel struct {
	X, Y, Z int32
	Color   Color
}

// Box is inclusive on both corners; Min <= Max on every axis.
type Box struct{ Min, Max Vec3 }

type ColorCount struct {
	Color Color
	Count int64
}

// A compile error here means a Go mirror no longer matches voxd.h.
var (
	_ [unsafe.Sizeof(Vec3{}) - C.sizeof_voxd_vec3]byte
	_ [C.sizeof_voxd_vec3 - unsafe.Sizeof(Vec3{})]byte
	_ [unsafe.Sizeof(Color{}) - C.sizeof_voxd_color]byte
	_ [C.sizeof_voxd_color - unsafe.Sizeof(Color{})]byte
	_ [unsafe.Sizeof(Voxel{}) - C.sizeof_voxd_voxel]byte
	_ [C.sizeof_voxd_voxel - unsafe.Sizeof(Voxel{})]byte
	_ [unsafe.Sizeof(Box{}) - C.sizeof_voxd_box]byte
	_ [C.sizeof_voxd_box - unsafe.Sizeof(Box{})]byte
)

type BlendMode int32

const (
	BlendOver          BlendMode = 1
	BlendSubtract      BlendMode = 2
	BlendSubtractClamp BlendMode = 3
	BlendPaint         BlendMode = 4
	BlendMax           BlendMode = 5
	BlendIntersect     BlendMode = 6
	BlendIntersectFill BlendMode = 7
	BlendMultAlpha     BlendMode = 8
	BlendReplace       BlendMode = 9
)

type ShapeKind int32

const (
	ShapeBox      ShapeKind = 0
	ShapeSphere   ShapeKind = 1
	ShapeCylinder ShapeKind = 2
)

type View int32

const (
	ViewIso    View = 0
	ViewFront  View = 1
	ViewBack   View = 2
	ViewLeft   View = 3
	ViewRight  View = 4
	ViewTop    View = 5
	ViewBottom View = 6
	ViewFree   View = 7 // the free camera of RenderOptions (Yaw, Pitch, Distance, Perspective)
)

type MeshFormat int32

const (
	MeshOBJ MeshFormat = 0
	MeshPLY MeshFormat = 1
	MeshSTL MeshFormat = 2
)

// LayerActive (edits) and LayerVisible (reads) are layer id 0.
const (
	LayerActive  uint32 = 0
	LayerVisible uint32 = 0
)

type ProjectInfo struct {
	VoxelCount     int64
	LayerCount     uint64
	ActiveLayerID  uint32
	HasBoundingBox bool
	BoundingBox    Box
	UndoDepth      uint64
	RedoDepth      uint64
	MemoryBytes    uint64
}

type LayerInfo struct {
	ID         uint32
	Visible    bool
	Mode       BlendMode
	VoxelCount int64
}

type MeshStats struct{ Quads, Triangles, UnmergedQuads int64 }

func cVec3(v Vec3) C.voxd_vec3    { return *(*C.voxd_vec3)(unsafe.Pointer(&v)) }
func cColor(c Color) C.voxd_color { return *(*C.voxd_color)(unsafe.Pointer(&c)) }
func cBox(b *Box) *C.voxd_box     { return (*C.voxd_box)(unsafe.Pointer(b)) }

var (
	_ [unsafe.Sizeof(LayerInfo{}) - C.sizeof_voxd_layer_info]byte
	_ [C.sizeof_voxd_layer_info - unsafe.Sizeof(LayerInfo{})]byte
	_ [unsafe.Sizeof(ColorCount{}) - C.sizeof_voxd_color_count]byte
	_ [C.sizeof_voxd_color_count - unsafe.Sizeof(ColorCount{})]byte
	_ [unsafe.Sizeof(MeshStats{}) - C.sizeof_voxd_mesh_stats]byte
	_ [C.sizeof_voxd_mesh_stats - unsafe.Sizeof(MeshStats{})]byte
)
