// Package voxd holds libvoxd (the voxd C ABI, voxd.h) from Go: an Engine owns its voxd_engine*, a Project
// owns a project handle. Both are freed by Close, or by a finalizer when the garbage collector finds them
// unreachable. Errors are *Error values that unwrap to a Status (errors.Is(err, voxd.ErrStaleHandle)).
//
// Linking: `#cgo pkg-config: voxd`, so PKG_CONFIG_PATH must find voxd.pc (an install of voxd's capi component).
package voxd

/*
#cgo pkg-config: voxd
#include <voxd/voxd.h>
*/
import "C"

import (
	"runtime"
	"sync"
	"unsafe"
)

// Options are an engine's limits; zero fields keep the library's defaults.
type Options struct {
	MaxProjects           uint64
	MaxVoxels             int64
	MaxLayers             uint64
	MaxHistorySteps       uint64
	MaxHistoryBytes       uint64
	MaxVoxelsPerOperation int64
	MaxFileBytes          uint64
}

// Engine owns one voxd_engine. Its methods are safe from many goroutines. Close (or the finalizer) destroys
// it; the lock makes destroy wait for calls in flight, which voxd.h requires (destroy overlaps no call).
type Engine struct {
	mu  sync.RWMutex
	ptr *C.voxd_engine
}

// Version is the version of the loaded library ("0.1.0").
func Version() string { return C.GoString(C.voxd_version_string()) }

// NewEngine creates an engine; opts may be nil.
func NewEngine(opts *Options) (*Engine, error) {
	var options C.voxd_engine_options
	var cerr *C.voxd_error
	if err := check(C.voxd_engine_options_init(&options, &cerr), cerr); err != nil {
		return nil, err
	}
	if opts != nil {
		options.max_projects = C.uint64_t(opts.MaxProjects)
		options.max_voxels = C.int64_t(opts.MaxVoxels)
		options.max_layers = C.uint64_t(opts.MaxLayers)
		options.max_history_steps = C.uint64_t(opts.MaxHistorySteps)
		options.max_history_bytes = C.uint64_t(opts.MaxHistoryBytes)
		options.max_voxels_per_operation = C.int64_t(opts.MaxVoxelsPerOperation)
		options.max_file_bytes = C.uint64_t(opts.MaxFileBytes)
	}
	e := &Engine{}
	if err := check(C.voxd_engine_create(&options, &e.ptr, &cerr), cerr); err != nil {
		return nil, err
	}
	runtime.SetFinalizer(e, (*Engine).Close)
	return e, nil
}

// Close destroys the engine and every project still open in it. A second Close does nothing.
func (e *Engine) Close() {
	e.mu.Lock()
	defer e.mu.Unlock()
	C.voxd_engine_destroy(&e.ptr) // sets e.ptr to nil
	runtime.SetFinalizer(e, nil)
}

var errEngineClosed = &Error{Code: ErrInvalidArgument, Message: "the engine is closed"}

// call runs f with the live engine pointer and a fresh error slot, holding the engine open meanwhile.
func (e *Engine) call(f func(engine *C.voxd_engine, cerr **C.voxd_error) C.voxd_status) error {
	e.mu.RLock()
	defer e.mu.RUnlock()
	if e.ptr == nil {
		return errEngineClosed
	}
	var cerr *C.voxd_error
	return check(f(e.ptr, &cerr), cerr)
}

// ProjectCount is the number of open projects.
func (e *Engine) ProjectCount() (int, error) {
	var n C.size_t
	err := e.call(func(en *C.voxd_engine, cerr **C.voxd_error) C.voxd_status {
		return C.voxd_engine_project_count(en, &n, cerr)
	})
	return int(n), err
}

// ProjectHandles lists the raw handles of the open projects (see Borrow).
func (e *Engine) ProjectHandles() ([]uint64, error) {
	return readArray[uint64](func(out unsafe.Pointer, capacity C.size_t, count *C.size_t) error {
		return e.call(func(en *C.voxd_engine, cerr **C.voxd_error) C.voxd_status {
			return C.voxd_engine_list_projects(en, (*C.uint64_t)(out), capacity, count, cerr)
		})
	})
}

// owned wraps a new handle in a Project that closes it when collected.
func (e *Engine) owned(handle C.voxd_project) *Project {
	p := &Project{engine: e, handle: uint64(handle)}
	runtime.SetFinalizer(p, (*Project).finalize)
	return p
}

// CreateProject makes a new, empty project with one layer named "background".
func (e *Engine) CreateProject(name string) (*Project, error) {
	s, n, free := cString(name)
	defer free()
	var handle C.voxd_project
	if err := e.call(func(en *C.voxd_engine, cerr **C.voxd_error) C.voxd_status {
		return C.voxd_project_create(en, s, n, &handle, cerr)
	}); err != nil {
		return nil, err
	}
	return e.owned(handle), nil
}

// OpenFile opens a .gox, .vox or .txt file as a new project named after the file.
func (e *Engine) OpenFile(path string) (*Project, error) {
	s, n, free := cString(path)
	defer free()
	var handle C.voxd_project
	if err := e.call(func(en *C.voxd_engine, cerr **C.voxd_error) C.voxd_status {
		return C.voxd_project_open_file(en, s, n, &handle, cerr)
	}); err != nil {
		return nil, err
	}
	return e.owned(handle), nil
}

// OpenBytes opens a file held in memory; name gives the project's name and, failing magic bytes, the format.
func (e *Engine) OpenBytes(data []byte, name string) (*Project, error) {
	s, n, free := cString(name)
	defer free()
	var handle C.voxd_project
	var p *C.uint8_t
	if len(data) > 0 {
		p = (*C.uint8_t)(unsafe.Pointer(&data[0]))
	}
	if err := e.call(func(en *C.voxd_engine, cerr **C.voxd_error) C.voxd_status {
		return C.voxd_project_open_bytes(en, p, C.size_t(len(data)), s, n, &handle, cerr)
	}); err != nil {
		return nil, err
	}
	return e.owned(handle), nil
}

// Borrow wraps a raw handle (from ProjectHandles, or kept from Project.Handle) in a Project that does not own
// it: no finalizer, and its Close still closes the project. A handle that is not open gives ErrStaleHandle on
// every call.
func (e *Engine) Borrow(handle uint64) *Project {
	return &Project{engine: e, handle: handle}
}
