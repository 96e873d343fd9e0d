"""meetkit: support toolkit for hybrid self-help group meetings on a self-hosted Jitsi Meet."""

__version__ = "0.1.0"
