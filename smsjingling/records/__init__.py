"""The send record: exporting what was sent, the traffic report, and purging what the law no longer asks us
to keep (never younger than six months)."""
