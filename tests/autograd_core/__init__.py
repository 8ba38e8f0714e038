"""Tests of autograd_core, mirroring its modules."""
