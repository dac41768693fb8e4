package voxd

/*
#include <voxd/voxd.h>
*/
import "C"

// RenderOptions are voxd_render_options (docs/formats-mesh-render.md says what each does). Start from
// DefaultRenderOptions: its zero value has no size and no look (AmbientOcclusion and Shadows off).
type RenderOptions struct {
	View          View
	Width, Height int32 // 1..4096
	// The free camera, used with ViewFree: it looks at the centre of the model's bounding box.
	Yaw         float64 // degrees, -360..360; 0 = the front view, 90 = the right view
	Pitch       float64 // degrees, -90..90; 0 = level, 90 = the top view
	Distance    float64 // voxels from the centre, 1..1000000; 0 fits the model to the frame
	Perspective bool    // else orthographic
	// The look.
	AmbientOcclusion bool  // creases and inner corners darken
	Shadows          bool  // one directional light casts voxel shadows
	Edges            bool  // voxel face edges darken (where voxels are at least 4 pixels across)
	Background       Color // the empty pixels; {0, 0, 0, 0} = transparent
}

// DefaultRenderOptions: the library's defaults (voxd_render_options_init): iso, 512x512, ambient occlusion and
// shadows on, no edges, transparent, and the free camera at the iso view's angles, fitted, orthographic.
func DefaultRenderOptions() RenderOptions {
	var o C.voxd_render_options
	C.voxd_render_options_init(&o, nil) // fails only on a NULL options
	return RenderOptions{
		View: View(o.view), Width: int32(o.width), Height: int32(o.height),
		Yaw: float64(o.yaw), Pitch: float64(o.pitch), Distance: float64(o.distance), Perspective: o.perspective != 0,
		AmbientOcclusion: o.disable_ambient_occlusion == 0, Shadows: o.disable_shadows == 0, Edges: o.edges != 0,
		Background: Color{uint8(o.background >> 24), uint8(o.background >> 16), uint8(o.background >> 8), uint8(o.background)},
	}
}

// RenderPNG renders the merged visible layers from a named view with the default look (width, height in 1..4096).
func (p *Project) RenderPNG(view View, width, height int32) ([]byte, error) {
	o := DefaultRenderOptions()
	o.View, o.Width, o.Height = view, width, height
	return p.Render(o)
}

// Render renders the merged visible layers as PNG bytes. Out-of-range options are an *Error with Code
// ErrInvalidArgument and a message naming the field.
func (p *Project) Render(o RenderOptions) ([]byte, error) {
	flag := func(b bool) C.int32_t {
		if b {
			return 1
		}
		return 0
	}
	var options C.voxd_render_options
	options.struct_size = C.sizeof_voxd_render_options
	options.view = C.voxd_view(o.View)
	options.width = C.int32_t(o.Width)
	options.height = C.int32_t(o.Height)
	options.yaw = C.double(o.Yaw)
	options.pitch = C.double(o.Pitch)
	options.distance = C.double(o.Distance)
	options.perspective = flag(o.Perspective)
	options.disable_ambient_occlusion = flag(!o.AmbientOcclusion)
	options.disable_shadows = flag(!o.Shadows)
	options.edges = flag(o.Edges)
	b := o.Background
	options.background = C.uint32_t(uint32(b.R)<<24 | uint32(b.G)<<16 | uint32(b.B)<<8 | uint32(b.A))
	var out C.voxd_bytes
	if err := p.call(func(en *C.voxd_engine, h C.voxd_project, cerr **C.voxd_error) C.voxd_status {
		return C.voxd_render_png(en, h, &options, &out, cerr)
	}); err != nil {
		return nil, err
	}
	return takeBytes(&out), nil
}
