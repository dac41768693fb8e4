package voxd

/*
#include <voxd/voxd.h>
*/
import "C"

import (
	"runtime"
	"unsafe"
)

// Project is one project of an Engine. A Project from CreateProject, OpenFile, OpenBytes or Copy owns its
// handle: Close closes it, and so does a finalizer if it is dropped unclosed. After Close every call returns
// ErrStaleHandle. Methods are safe from many goroutines (the library serialises calls on one project).
type Project struct {
	engine *Engine
	handle uint64
}

// Handle is the raw voxd_project value (a generational handle; stale once closed).
func (p *Project) Handle() uint64 { return p.handle }

func (p *Project) call(f func(en *C.voxd_engine, h C.voxd_project, cerr **C.voxd_error) C.voxd_status) error {
	err := p.engine.call(func(en *C.voxd_engine, cerr **C.voxd_error) C.voxd_status {
		return f(en, C.voxd_project(p.handle), cerr)
	})
	runtime.KeepAlive(p) // the finalizer must not close the handle while a call uses it
	return err
}

// Close closes the project; its handle (and every copy of it) becomes stale.
func (p *Project) Close() error {
	runtime.SetFinalizer(p, nil)
	return p.call(func(en *C.voxd_engine, h C.voxd_project, cerr **C.voxd_error) C.voxd_status {
		return C.voxd_project_close(en, h, cerr)
	})
}

// finalize closes a dropped project, unless its engine is already destroyed (which closed it).
func (p *Project) finalize() {
	p.engine.mu.RLock()
	defer p.engine.mu.RUnlock()
	if p.engine.ptr != nil {
		C.voxd_project_close(p.engine.ptr, C.voxd_project(p.handle), nil)
	}
}

func (p *Project) Name() (string, error) {
	return readString(func(out *C.char, capacity C.size_t, length *C.size_t) error {
		return p.call(func(en *C.voxd_engine, h C.voxd_project, cerr **C.voxd_error) C.voxd_status {
			return C.voxd_project_get_name(en, h, out, capacity, length, cerr)
		})
	})
}

func (p *Project) Info() (ProjectInfo, error) {
	var info C.voxd_project_info
	info.struct_size = C.sizeof_voxd_project_info
	err := p.call(func(en *C.voxd_engine, h C.voxd_project, cerr **C.voxd_error) C.voxd_status {
		return C.voxd_project_get_info(en, h, &info, cerr)
	})
	return ProjectInfo{
		VoxelCount: int64(info.voxel_count), LayerCount: uint64(info.layer_count),
		ActiveLayerID: uint32(info.active_layer_id), HasBoundingBox: bool(info.has_bounding_box),
		BoundingBox: *(*Box)(unsafe.Pointer(&info.bounding_box)), UndoDepth: uint64(info.undo_depth),
		RedoDepth: uint64(info.redo_depth), MemoryBytes: uint64(info.memory_bytes),
	}, err
}

// Copy makes a new project holding this one's current state (no history).
func (p *Project) Copy(name string) (*Project, error) {
	s, n, free := cString(name)
	defer free()
	var handle C.voxd_project
	if err := p.call(func(en *C.voxd_engine, h C.voxd_project, cerr **C.voxd_error) C.voxd_status {
		return C.voxd_project_copy(en, h, s, n, &handle, cerr)
	}); err != nil {
		return nil, err
	}
	return p.engine.owned(handle), nil
}

// Save writes a file whose format is the path's extension (.gox .vox .txt .obj .ply .stl .png).
func (p *Project) Save(path string) error {
	s, n, free := cString(path)
	defer free()
	return p.call(func(en *C.voxd_engine, h C.voxd_project, cerr **C.voxd_error) C.voxd_status {
		return C.voxd_project_save(en, h, s, n, cerr)
	})
}

// Export is Save into memory; format is an extension with or without the dot.
func (p *Project) Export(format string) ([]byte, error) {
	s, n, free := cString(format)
	defer free()
	var out C.voxd_bytes
	if err := p.call(func(en *C.voxd_engine, h C.voxd_project, cerr **C.voxd_error) C.voxd_status {
		return C.voxd_project_export(en, h, s, n, &out, cerr)
	}); err != nil {
		return nil, err
	}
	return takeBytes(&out), nil
}

// ExportInto exports into buffer (nil asks for the size) and returns the file's size; a short buffer is
// ErrLimitExceeded and nothing is written.
func (p *Project) ExportInto(format string, buffer []byte) (int, error) {
	s, n, free := cString(format)
	defer free()
	var size C.size_t
	var out *C.uint8_t
	if len(buffer) > 0 {
		out = (*C.uint8_t)(unsafe.Pointer(&buffer[0]))
	}
	err := p.call(func(en *C.voxd_engine, h C.voxd_project, cerr **C.voxd_error) C.voxd_status {
		return C.voxd_project_export_to_buffer(en, h, s, n, out, C.size_t(len(buffer)), &size, cerr)
	})
	return int(size), err
}

func (p *Project) Undo() error {
	return p.call(func(en *C.voxd_engine, h C.voxd_project, cerr **C.voxd_error) C.voxd_status {
		return C.voxd_project_undo(en, h, cerr)
	})
}

func (p *Project) Redo() error {
	return p.call(func(en *C.voxd_engine, h C.voxd_project, cerr **C.voxd_error) C.voxd_status {
		return C.voxd_project_redo(en, h, cerr)
	})
}

// SetVoxels writes voxels on a layer (alpha 0 removes); all or nothing.
func (p *Project) SetVoxels(layer uint32, voxels []Voxel) error {
	var ptr *C.voxd_voxel
	if len(voxels) > 0 {
		ptr = (*C.voxd_voxel)(unsafe.Pointer(&voxels[0]))
	}
	return p.call(func(en *C.voxd_engine, h C.voxd_project, cerr **C.voxd_error) C.voxd_status {
		return C.voxd_voxels_set(en, h, C.uint32_t(layer), ptr, C.size_t(len(voxels)), cerr)
	})
}

func vec3s(positions []Vec3) *C.voxd_vec3 {
	if len(positions) == 0 {
		return nil
	}
	return (*C.voxd_vec3)(unsafe.Pointer(&positions[0]))
}

func (p *Project) RemoveVoxels(layer uint32, positions []Vec3) error {
	return p.call(func(en *C.voxd_engine, h C.voxd_project, cerr **C.voxd_error) C.voxd_status {
		return C.voxd_voxels_remove(en, h, C.uint32_t(layer), vec3s(positions), C.size_t(len(positions)), cerr)
	})
}

// GetVoxels returns the colour at each position ({0,0,0,0} where empty).
func (p *Project) GetVoxels(layer uint32, positions []Vec3) ([]Color, error) {
	colors := make([]Color, len(positions))
	var out *C.voxd_color
	if len(colors) > 0 {
		out = (*C.voxd_color)(unsafe.Pointer(&colors[0]))
	}
	err := p.call(func(en *C.voxd_engine, h C.voxd_project, cerr **C.voxd_error) C.voxd_status {
		return C.voxd_voxels_get(en, h, C.uint32_t(layer), vec3s(positions), C.size_t(len(positions)), out, cerr)
	})
	return colors, err
}

// ReadBox returns the non-empty voxels inside box.
func (p *Project) ReadBox(layer uint32, box Box) ([]Voxel, error) {
	return readArray[Voxel](func(out unsafe.Pointer, capacity C.size_t, count *C.size_t) error {
		return p.call(func(en *C.voxd_engine, h C.voxd_project, cerr **C.voxd_error) C.voxd_status {
			return C.voxd_voxels_read_box(en, h, C.uint32_t(layer), cBox(&box), (*C.voxd_voxel)(out), capacity, count, cerr)
		})
	})
}

func (p *Project) ClearLayer(layer uint32) error {
	return p.call(func(en *C.voxd_engine, h C.voxd_project, cerr **C.voxd_error) C.voxd_status {
		return C.voxd_layer_clear(en, h, C.uint32_t(layer), cerr)
	})
}

// ApplyShape applies a shape inscribed in bounds and returns the number of voxels changed.
func (p *Project) ApplyShape(layer uint32, kind ShapeKind, mode BlendMode, bounds Box, color Color) (int64, error) {
	var shape C.voxd_shape
	shape.struct_size = C.sizeof_voxd_shape
	shape.kind = C.voxd_shape_kind(kind)
	shape.mode = C.voxd_blend_mode(mode)
	shape.bounds = *cBox(&bounds)
	shape.color = cColor(color)
	var changed C.int64_t
	err := p.call(func(en *C.voxd_engine, h C.voxd_project, cerr **C.voxd_error) C.voxd_status {
		return C.voxd_shape_apply(en, h, C.uint32_t(layer), &shape, &changed, cerr)
	})
	return int64(changed), err
}

func (p *Project) DrawLine(layer uint32, from, to Vec3, color Color, mode BlendMode) (int64, error) {
	var changed C.int64_t
	err := p.call(func(en *C.voxd_engine, h C.voxd_project, cerr **C.voxd_error) C.voxd_status {
		return C.voxd_line_draw(en, h, C.uint32_t(layer), cVec3(from), cVec3(to), cColor(color),
			C.voxd_blend_mode(mode), &changed, cerr)
	})
	return int64(changed), err
}

// FloodFill options: Bounds nil means the layer's bounding box grown by one; MaxVoxels 0 means the engine's
// per-operation limit.
type FloodFill struct {
	Seed      Vec3
	Color     Color
	Tolerance uint8
	Bounds    *Box
	MaxVoxels int64
}

func (p *Project) FloodFill(layer uint32, fill FloodFill) (int64, error) {
	var options C.voxd_flood_fill_options
	options.struct_size = C.sizeof_voxd_flood_fill_options
	options.seed = cVec3(fill.Seed)
	options.color = cColor(fill.Color)
	options.tolerance = C.uint8_t(fill.Tolerance)
	if fill.Bounds != nil {
		options.has_bounds = true
		options.bounds = *cBox(fill.Bounds)
	}
	options.max_voxels = C.int64_t(fill.MaxVoxels)
	var filled C.int64_t
	err := p.call(func(en *C.voxd_engine, h C.voxd_project, cerr **C.voxd_error) C.voxd_status {
		return C.voxd_flood_fill(en, h, C.uint32_t(layer), &options, &filled, cerr)
	})
	return int64(filled), err
}

// MoveRegion moves (or, with keepSource, copies) the voxels inside source by offset.
func (p *Project) MoveRegion(layer uint32, source Box, offset Vec3, keepSource bool) (int64, error) {
	var moved C.int64_t
	err := p.call(func(en *C.voxd_engine, h C.voxd_project, cerr **C.voxd_error) C.voxd_status {
		return C.voxd_region_move(en, h, C.uint32_t(layer), cBox(&source), cVec3(offset), C.bool(keepSource), &moved, cerr)
	})
	return int64(moved), err
}
