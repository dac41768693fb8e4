package voxd

/*
#include <voxd/voxd.h>
*/
import "C"

import "unsafe"

// Layers lists the layers bottom to top.
func (p *Project) Layers() ([]LayerInfo, error) {
	return readArray[LayerInfo](func(out unsafe.Pointer, capacity C.size_t, count *C.size_t) error {
		return p.call(func(en *C.voxd_engine, h C.voxd_project, cerr **C.voxd_error) C.voxd_status {
			return C.voxd_layer_list(en, h, (*C.voxd_layer_info)(out), capacity, count, cerr)
		})
	})
}

func (p *Project) LayerName(layer uint32) (string, error) {
	return readString(func(out *C.char, capacity C.size_t, length *C.size_t) error {
		return p.call(func(en *C.voxd_engine, h C.voxd_project, cerr **C.voxd_error) C.voxd_status {
			return C.voxd_layer_get_name(en, h, C.uint32_t(layer), out, capacity, length, cerr)
		})
	})
}

// AddLayer adds an empty layer on top, makes it active and returns its id.
func (p *Project) AddLayer(name string) (uint32, error) {
	s, n, free := cString(name)
	defer free()
	var id C.uint32_t
	err := p.call(func(en *C.voxd_engine, h C.voxd_project, cerr **C.voxd_error) C.voxd_status {
		return C.voxd_layer_add(en, h, s, n, &id, cerr)
	})
	return uint32(id), err
}

func (p *Project) RemoveLayer(layer uint32) error {
	return p.call(func(en *C.voxd_engine, h C.voxd_project, cerr **C.voxd_error) C.voxd_status {
		return C.voxd_layer_remove(en, h, C.uint32_t(layer), cerr)
	})
}

func (p *Project) RenameLayer(layer uint32, name string) error {
	s, n, free := cString(name)
	defer free()
	return p.call(func(en *C.voxd_engine, h C.voxd_project, cerr **C.voxd_error) C.voxd_status {
		return C.voxd_layer_rename(en, h, C.uint32_t(layer), s, n, cerr)
	})
}

// MoveLayer moves a layer to position index (0 = bottom).
func (p *Project) MoveLayer(layer uint32, index uint) error {
	return p.call(func(en *C.voxd_engine, h C.voxd_project, cerr **C.voxd_error) C.voxd_status {
		return C.voxd_layer_move(en, h, C.uint32_t(layer), C.size_t(index), cerr)
	})
}

func (p *Project) DuplicateLayer(layer uint32) (uint32, error) {
	var id C.uint32_t
	err := p.call(func(en *C.voxd_engine, h C.voxd_project, cerr **C.voxd_error) C.voxd_status {
		return C.voxd_layer_duplicate(en, h, C.uint32_t(layer), &id, cerr)
	})
	return uint32(id), err
}

func (p *Project) SetLayerVisible(layer uint32, visible bool) error {
	return p.call(func(en *C.voxd_engine, h C.voxd_project, cerr **C.voxd_error) C.voxd_status {
		return C.voxd_layer_set_visible(en, h, C.uint32_t(layer), C.bool(visible), cerr)
	})
}

func (p *Project) SelectLayer(layer uint32) error {
	return p.call(func(en *C.voxd_engine, h C.voxd_project, cerr **C.voxd_error) C.voxd_status {
		return C.voxd_layer_select(en, h, C.uint32_t(layer), cerr)
	})
}

// MergeLayers merges upper into lower; upper is removed.
func (p *Project) MergeLayers(upper, lower uint32) error {
	return p.call(func(en *C.voxd_engine, h C.voxd_project, cerr **C.voxd_error) C.voxd_status {
		return C.voxd_layer_merge(en, h, C.uint32_t(upper), C.uint32_t(lower), cerr)
	})
}
