"""The fleet: AIM+'s tasks on many hosts over SSH (Fabric), with an inventory, a fleet journal
and per-host rollback; secrets travel on stdin only.  See docs/fleet.md."""
