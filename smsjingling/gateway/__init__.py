"""The vendor's HTTP gateway and other HTTP SMS services, behind one adapter interface (gateway.base)."""
