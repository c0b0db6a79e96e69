//! Conversions between Python values and the facade's types. The only module that knows
//! both type systems.

use std::path::PathBuf;

use pyo3::prelude::*;
use pyo3::types::{PyBool, PyDict, PyFloat, PyInt, PyList, PyString};
use serde_json::Value;

use crate::error;

/// A serde value as a Python object (`dict`, `list`, `str`, `int`, `float`, `bool`, `None`).
pub(crate) fn to_py<'py>(py: Python<'py>, v: &Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match v {
        Value::Null => py.None().into_bound(py),
        Value::Bool(b) => PyBool::new(py, *b).to_owned().into_any(),
        Value::Number(n) => {
            if let Some(u) = n.as_u64() {
                u.into_pyobject(py)?.into_any()
            } else if let Some(i) = n.as_i64() {
                i.into_pyobject(py)?.into_any()
            } else {
                PyFloat::new(py, n.as_f64().unwrap_or(f64::NAN)).into_any()
            }
        }
        Value::String(s) => PyString::new(py, s).into_any(),
        Value::Array(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(to_py(py, item)?)?;
            }
            list.into_any()
        }
        Value::Object(map) => {
            let dict = PyDict::new(py);
            for (k, item) in map {
                dict.set_item(k, to_py(py, item)?)?;
            }
            dict.into_any()
        }
    })
}

/// Any serialisable value as a Python object.
pub(crate) fn serialize<'py>(py: Python<'py>, v: &impl serde::Serialize) -> PyResult<Bound<'py, PyAny>> {
    let value = serde_json::to_value(v).map_err(|e| error::internal(format!("cannot convert the report: {e}")))?;
    to_py(py, &value)
}

/// A `str` or `os.PathLike` argument as a path.
pub(crate) fn path(obj: &Bound<'_, PyAny>) -> PyResult<PathBuf> {
    obj.extract::<PathBuf>()
}

/// A target argument (`str` or `os.PathLike`) as the facade's target string.
pub(crate) fn target(obj: &Bound<'_, PyAny>) -> PyResult<String> {
    let p = path(obj)?;
    p.to_str()
        .map(str::to_owned)
        .ok_or_else(|| error::config(obj.py(), format!("target {} is not valid UTF-8", p.display())))
}

/// The `db` argument: `None` (the embedded database), `False` (no vulnerability matching)
/// or a path.
pub(crate) fn db(obj: Option<&Bound<'_, PyAny>>) -> PyResult<strata::DbSource> {
    match obj {
        None => Ok(strata::DbSource::Embedded),
        Some(o) if o.is_none() => Ok(strata::DbSource::Embedded),
        Some(o) if o.is_instance_of::<PyBool>() => {
            Ok(if o.is_truthy()? { strata::DbSource::Embedded } else { strata::DbSource::None })
        }
        Some(o) => Ok(strata::DbSource::File(path(o)?)),
    }
}

/// The `limits` argument: a mapping of [`strata::Limits`] field names to non-negative
/// integers, applied over the defaults. Unknown names are a `ConfigError`.
pub(crate) fn limits(obj: Option<&Bound<'_, PyAny>>) -> PyResult<strata::Limits> {
    let defaults = strata::Limits::default();
    let Some(obj) = obj.filter(|o| !o.is_none()) else {
        return Ok(defaults);
    };
    let py = obj.py();
    let dict = obj.cast::<PyDict>().map_err(|_| error::config(py, "limits must be a dict of limit name to int"))?;
    let mut base = serde_json::to_value(&defaults).map_err(|e| error::internal(e.to_string()))?;
    let known = base.as_object_mut().ok_or_else(|| error::internal("limits do not serialise to a map"))?;
    for (k, v) in dict.iter() {
        let name: String = k.extract().map_err(|_| error::config(py, "limit names must be strings"))?;
        if !known.contains_key(&name) {
            let mut names: Vec<&str> = known.keys().map(String::as_str).collect();
            names.sort_unstable();
            return Err(error::config(py, format!("unknown limit {name:?} (expected one of {})", names.join(", "))));
        }
        if v.is_instance_of::<PyBool>() || !v.is_instance_of::<PyInt>() {
            return Err(error::config(py, format!("limit {name:?} must be an int")));
        }
        let n: u64 = v.extract().map_err(|_| error::config(py, format!("limit {name:?} must be a non-negative int")))?;
        known.insert(name, Value::from(n));
    }
    serde_json::from_value(base).map_err(|e| error::config(py, format!("invalid limits: {e}")))
}

/// A platform argument (`os/arch[/variant]`).
pub(crate) fn platform(py: Python<'_>, s: Option<&str>) -> PyResult<Option<strata::Platform>> {
    match s {
        None => Ok(None),
        Some(s) => strata::Platform::parse(s)
            .map(Some)
            .ok_or_else(|| error::config(py, format!("invalid platform {s:?} (expected os/arch[/variant])"))),
    }
}

/// Scanner group names, checked against [`strata::SCANNERS`].
pub(crate) fn scanners(py: Python<'_>, s: Option<Vec<String>>) -> PyResult<Option<Vec<String>>> {
    if let Some(list) = &s {
        if let Some(bad) = list.iter().find(|x| !strata::SCANNERS.contains(&x.as_str())) {
            return Err(error::config(
                py,
                format!("unknown scanner {bad:?} (expected one of {})", strata::SCANNERS.join(", ")),
            ));
        }
    }
    Ok(s)
}
