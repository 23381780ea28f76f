//! A plugin whose step and layout panic: the host must survive both and say which
//! plugin, step and input it was.

use torimatome_plugin_api::{
    CellIn, CellOut, Description, Layout, LayoutInfo, LayoutResult, Options, Plugin, Role, SheetIn, Step, StepInfo,
};

struct Panics;

impl Plugin for Panics {
    fn describe(&self) -> Description {
        Description {
            name: "torimatome-test-panics".into(),
            version: "0.1.0".into(),
            steps: vec![StepInfo { name: "explode".into(), roles: vec![Role::Value], options: vec![], description: "panics".into() }],
            layouts: vec![LayoutInfo { name: "explode".into(), options: vec![], description: "panics".into() }],
        }
    }

    fn step(&self, _name: &str, _options: &Options) -> Result<Box<dyn Step>, String> {
        Ok(Box::new(Explode))
    }

    fn layout(&self, _name: &str, _options: &Options) -> Result<Box<dyn Layout>, String> {
        Ok(Box::new(Explode))
    }
}

struct Explode;

impl Step for Explode {
    fn apply(&self, _role: Role, cells: &[CellIn<'_>], _out: &mut [CellOut]) {
        panic!("boom on {} cells", cells.len());
    }
}

impl Layout for Explode {
    fn read(&self, sheet: &SheetIn<'_>) -> LayoutResult {
        panic!("boom on sheet {}", sheet.name);
    }
}

torimatome_plugin_api::export_plugin!(Panics);
