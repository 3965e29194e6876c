"""``python -m bot doctor``: whether the bot would start and serve, on one screen, checked in the
order a start meets them, with the fix for each failure. Exit 0 only when nothing failed.

The bot (``python -m bot doctor``): the config, the token (one REST call), the intents the
config needs, ffmpeg, the device, each configured model, Redis and the workers when scaled out, the
job store, the metrics port. A worker machine (``--worker``): the config, ffmpeg, the device, the
models, Redis, the metrics port. Like ``bot/__main__.py`` this is the command line: it uses every
layer, the Discord one included.
"""
