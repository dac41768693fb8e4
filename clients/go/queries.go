package voxd

/*
#include <voxd/voxd.h>
*/
import "C"

import "unsafe"

// BoundingBox of a layer (LayerVisible: the merged visible layers); found is false when empty.
func (p *Project) BoundingBox(layer uint32) (box Box, found bool, err error) {
	var cfound C.bool
	err = p.call(func(en *C.voxd_engine, h C.voxd_project, cerr **C.voxd_error) C.voxd_status {
		return C.voxd_query_bounding_box(en, h, C.uint32_t(layer), cBox(&box), &cfound, cerr)
	})
	return box, bool(cfound), err
}

func (p *Project) Count(layer uint32) (int64, error) {
	var n C.int64_t
	err := p.call(func(en *C.voxd_engine, h C.voxd_project, cerr **C.voxd_error) C.voxd_status {
		return C.voxd_query_count(en, h, C.uint32_t(layer), &n, cerr)
	})
	return int64(n), err
}

// Histogram: colours with their counts, most frequent first.
func (p *Project) Histogram(layer uint32) ([]ColorCount, error) {
	return readArray[ColorCount](func(out unsafe.Pointer, capacity C.size_t, count *C.size_t) error {
		return p.call(func(en *C.voxd_engine, h C.voxd_project, cerr **C.voxd_error) C.voxd_status {
			return C.voxd_query_histogram(en, h, C.uint32_t(layer), (*C.voxd_color_count)(out), capacity, count, cerr)
		})
	})
}

func (p *Project) UniqueColors(layer uint32) ([]Color, error) {
	return readArray[Color](func(out unsafe.Pointer, capacity C.size_t, count *C.size_t) error {
		return p.call(func(en *C.voxd_engine, h C.voxd_project, cerr **C.voxd_error) C.voxd_status {
			return C.voxd_query_unique_colors(en, h, C.uint32_t(layer), (*C.voxd_color)(out), capacity, count, cerr)
		})
	})
}

// FindColor: positions of voxels within tolerance (per channel) of color.
func (p *Project) FindColor(layer uint32, color Color, tolerance uint8) ([]Vec3, error) {
	return readArray[Vec3](func(out unsafe.Pointer, capacity C.size_t, count *C.size_t) error {
		return p.call(func(en *C.voxd_engine, h C.voxd_project, cerr **C.voxd_error) C.voxd_status {
			return C.voxd_query_find_color(en, h, C.uint32_t(layer), cColor(color), C.uint8_t(tolerance),
				(*C.voxd_vec3)(out), capacity, count, cerr)
		})
	})
}

// Mesh exports a merged-face mesh of the visible layers.
func (p *Project) Mesh(format MeshFormat) ([]byte, MeshStats, error) {
	var out C.voxd_bytes
	var stats MeshStats
	if err := p.call(func(en *C.voxd_engine, h C.voxd_project, cerr **C.voxd_error) C.voxd_status {
		return C.voxd_mesh_export(en, h, C.voxd_mesh_format(format), &out,
			(*C.voxd_mesh_stats)(unsafe.Pointer(&stats)), cerr)
	}); err != nil {
		return nil, stats, err
	}
	return takeBytes(&out), stats, nil
}
