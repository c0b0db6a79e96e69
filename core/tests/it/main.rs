//! Integration tests of the core: sources, overlay merge, dispatch, cache, hostile input.

mod common;
mod corpus;
mod hostile;
mod overlay;
mod pipeline;
mod real_images;
mod sources;
