//! OS detection and OS package databases (dpkg, rpm, apk).
