"""Small helpers shared by the resource builders."""

from troposphere import Retain


def retain_if(retain: bool) -> dict:
    """Keep a data-holding resource when the stack is deleted or the resource replaced."""
    return {"DeletionPolicy": Retain, "UpdateReplacePolicy": Retain} if retain else {}
