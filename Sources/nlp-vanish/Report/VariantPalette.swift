/// Gives each variant one colour for the whole report, so tanh:xavier is the same blue in every plot.
///
/// The colours are Okabe and Ito's palette, distinguishable with the common colour-vision deficiencies;
/// yellow is left out because it vanishes on white paper.
struct VariantPalette {
    private static let okabeIto = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#000000"]
    /// The variants in first-seen order, which keeps the study's own order in legends and tables.
    let variants: [String]

    init(_ names: [String]) {
        var seen = Set<String>()
        variants = names.filter { seen.insert($0).inserted }
    }

    func colour(_ variant: String) -> String {
        let index = variants.firstIndex(of: variant) ?? variants.count
        return Self.okabeIto[index % Self.okabeIto.count]
    }
}
