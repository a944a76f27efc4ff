"""The content-addressed store in the state folder, shared by backups and run checkpoints.

``<state>/store/objects/ab/cdef…`` holds each saved file content once, named by its sha256
(:mod:`aim.store.objects`); ``index.json`` remembers which sha256 a file had at a given size,
mtime, ctime, inode and device, so an unchanged file is not read again (:mod:`aim.store.index`);
retention and ``aim prune`` drop what no kept backup or run refers to (:mod:`aim.store.prune`).
"""
