//! The browser entry. Convene renders every page on the server; only islands (the
//! parts that react to input, such as the membership filter) hydrate, so the wasm
//! carries those and nothing else.
#![forbid(unsafe_code)]

// Links the app crate, whose #[island] components export their hydration entry points.
use app as _;

#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
    // Lets browser tests (and curious people) tell a hydrated page from plain HTML.
    if let Some(root) = leptos::prelude::document().document_element() {
        let _ = root.set_attribute("data-hydrated", "true");
    }
}
