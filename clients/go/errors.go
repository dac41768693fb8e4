package voxd

/*
#include <voxd/voxd.h>
*/
import "C"

// Status is a voxd_status: OK or one of the Err* codes. It is itself an error, so that
// errors.Is(err, voxd.ErrStaleHandle) tells what failed.
type Status int32

// The status codes of voxd.h (enum voxd_status_code), value for value.
const (
	OK                  Status = 0
	ErrInvalidArgument  Status = 1
	ErrNotFound         Status = 2
	ErrStaleHandle      Status = 3
	ErrLimitExceeded    Status = 4
	ErrIO               Status = 5
	ErrFormat           Status = 6
	ErrUnsupported      Status = 7
	ErrPermissionDenied Status = 8
	ErrProtocol         Status = 9
	ErrInternal         Status = 10
	ErrNothingToDo      Status = 11
	ErrBusy             Status = 12
)

// String is the library's stable name of the status ("stale handle").
func (s Status) String() string { return C.GoString(C.voxd_status_name(C.voxd_status(s))) }

func (s Status) Error() string { return s.String() }

// Error is a failed call: the status it returned and the library's message. It unwraps to its Status.
type Error struct {
	Code    Status
	Message string
}

func (e *Error) Error() string { return e.Code.String() + ": " + e.Message }

func (e *Error) Unwrap() error { return e.Code }

// check turns a status and its voxd_error into a Go error, freeing the voxd_error (the caller owns it).
func check(status C.voxd_status, cerr *C.voxd_error) error {
	if status == C.VOXD_OK {
		return nil
	}
	message := C.GoString(C.voxd_error_message(cerr))
	C.voxd_error_free(&cerr)
	return &Error{Code: Status(status), Message: message}
}
