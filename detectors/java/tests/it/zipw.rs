//! A small zip writer for building test archives in code (stored or deflated members,
//! optional lies about sizes for hostile cases).

use std::io::Write;

pub(crate) struct Member {
    pub(crate) name: String,
    pub(crate) data: Vec<u8>,
    pub(crate) deflate: bool,
    /// Overrides the declared uncompressed size (hostile archives).
    pub(crate) declared_size: Option<u32>,
}

#[derive(Default)]
pub(crate) struct ZipW {
    members: Vec<Member>,
    prefix: Vec<u8>,
}

pub(crate) fn deflate(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

impl ZipW {
    pub(crate) fn new() -> Self {
        ZipW::default()
    }
    /// Data written before the archive (launch script of an executable jar).
    pub(crate) fn prefix(mut self, p: &[u8]) -> Self {
        self.prefix = p.to_vec();
        self
    }
    pub(crate) fn stored(mut self, name: &str, data: &[u8]) -> Self {
        self.members.push(Member {
            name: name.into(),
            data: data.to_vec(),
            deflate: false,
            declared_size: None,
        });
        self
    }
    pub(crate) fn deflated(mut self, name: &str, data: &[u8]) -> Self {
        self.members.push(Member {
            name: name.into(),
            data: data.to_vec(),
            deflate: true,
            declared_size: None,
        });
        self
    }
    pub(crate) fn member(mut self, m: Member) -> Self {
        self.members.push(m);
        self
    }
    pub(crate) fn build(self) -> Vec<u8> {
        let mut out = self.prefix.clone();
        let base = out.len();
        let mut central = Vec::new();
        for m in &self.members {
            let (method, body) = if m.deflate {
                (8u16, deflate(&m.data))
            } else {
                (0u16, m.data.clone())
            };
            let usize_ = m.declared_size.unwrap_or(m.data.len() as u32);
            let off = (out.len() - base) as u32;
            let mut h = Vec::new();
            h.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
            h.extend_from_slice(&20u16.to_le_bytes());
            h.extend_from_slice(&0u16.to_le_bytes());
            h.extend_from_slice(&method.to_le_bytes());
            h.extend_from_slice(&0u32.to_le_bytes()); // time/date
            h.extend_from_slice(&0u32.to_le_bytes()); // crc (not checked)
            h.extend_from_slice(&(body.len() as u32).to_le_bytes());
            h.extend_from_slice(&usize_.to_le_bytes());
            h.extend_from_slice(&(m.name.len() as u16).to_le_bytes());
            h.extend_from_slice(&0u16.to_le_bytes());
            h.extend_from_slice(m.name.as_bytes());
            out.extend_from_slice(&h);
            out.extend_from_slice(&body);

            central.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
            central.extend_from_slice(&20u16.to_le_bytes());
            central.extend_from_slice(&20u16.to_le_bytes());
            central.extend_from_slice(&0u16.to_le_bytes());
            central.extend_from_slice(&method.to_le_bytes());
            central.extend_from_slice(&0u32.to_le_bytes());
            central.extend_from_slice(&0u32.to_le_bytes());
            central.extend_from_slice(&(body.len() as u32).to_le_bytes());
            central.extend_from_slice(&usize_.to_le_bytes());
            central.extend_from_slice(&(m.name.len() as u16).to_le_bytes());
            central.extend_from_slice(&0u16.to_le_bytes());
            central.extend_from_slice(&0u16.to_le_bytes());
            central.extend_from_slice(&0u16.to_le_bytes());
            central.extend_from_slice(&0u16.to_le_bytes());
            central.extend_from_slice(&0u32.to_le_bytes());
            central.extend_from_slice(&off.to_le_bytes());
            central.extend_from_slice(m.name.as_bytes());
        }
        let cd_off = (out.len() - base) as u32;
        out.extend_from_slice(&central);
        out.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        out.extend_from_slice(&(self.members.len() as u16).to_le_bytes());
        out.extend_from_slice(&(self.members.len() as u16).to_le_bytes());
        out.extend_from_slice(&(central.len() as u32).to_le_bytes());
        out.extend_from_slice(&cd_off.to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        out
    }
}
