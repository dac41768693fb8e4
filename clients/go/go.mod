module voxd

go 1.19
