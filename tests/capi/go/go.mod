module voxd_capi_go

go 1.19

require voxd v0.0.0

replace voxd => ../../../clients/go
