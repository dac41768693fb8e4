package voxd

/*
#include <stdlib.h>
#include <voxd/voxd.h>
*/
import "C"

import "unsafe"

// cString copies s into C memory for one call; the caller frees it with the returned function.
// The length is passed explicitly, so an embedded NUL reaches the library (which refuses it).
func cString(s string) (*C.char, C.size_t, func()) {
	p := C.CString(s)
	return p, C.size_t(len(s)), func() { C.free(unsafe.Pointer(p)) }
}

// takeBytes copies library-owned bytes into Go memory and frees them.
func takeBytes(b *C.voxd_bytes) []byte {
	defer C.voxd_bytes_free(b)
	if b.size == 0 {
		return []byte{}
	}
	return C.GoBytes(unsafe.Pointer(b.data), C.int(b.size))
}

// readArray follows voxd.h's array-out rule: ask for the count with a nil buffer, then fill a buffer of that
// size; ask again if the count grew meanwhile (another goroutine edited the project).
func readArray[T any](fill func(out unsafe.Pointer, capacity C.size_t, count *C.size_t) error) ([]T, error) {
	var count C.size_t
	if err := fill(nil, 0, &count); err != nil {
		return nil, err
	}
	for {
		capacity := count
		out := make([]T, capacity)
		var p unsafe.Pointer
		if capacity > 0 {
			p = unsafe.Pointer(&out[0])
		}
		if err := fill(p, capacity, &count); err != nil {
			return nil, err
		}
		if count <= capacity {
			return out[:count], nil
		}
	}
}

// readString follows the string-out rule (like snprintf): the length first, then the bytes and a NUL.
func readString(fill func(out *C.char, capacity C.size_t, length *C.size_t) error) (string, error) {
	var length C.size_t
	if err := fill(nil, 0, &length); err != nil {
		return "", err
	}
	for {
		buffer := make([]byte, length+1)
		capacity := C.size_t(len(buffer))
		if err := fill((*C.char)(unsafe.Pointer(&buffer[0])), capacity, &length); err != nil {
			return "", err
		}
		if length < capacity {
			return string(buffer[:length]), nil
		}
	}
}
