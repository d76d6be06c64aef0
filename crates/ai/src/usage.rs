//! Cost from the price table and the usage row of a call.

use aura_core::settings::PriceSettings;

use crate::types::Usage;

/// The price entry for `model`: an exact name wins over the longest matching `prefix*`.
pub fn price_for<'a>(prices: &'a [PriceSettings], model: &str) -> Option<&'a PriceSettings> {
    prices.iter().find(|p| p.model == model).or_else(|| {
        prices
            .iter()
            .filter(|p| {
                p.model
                    .strip_suffix('*')
                    .is_some_and(|prefix| model.starts_with(prefix))
            })
            .max_by_key(|p| p.model.len())
    })
}

/// Estimated cost in US dollars (0 for a model without a price: local models).
pub fn cost(prices: &[PriceSettings], model: &str, usage: Usage) -> f64 {
    price_for(prices, model).map_or(0.0, |p| {
        (f64::from(usage.tokens_in) * p.input_per_mtok
            + f64::from(usage.tokens_out) * p.output_per_mtok)
            / 1_000_000.0
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(model: &str, i: f64, o: f64) -> PriceSettings {
        PriceSettings {
            model: model.into(),
            input_per_mtok: i,
            output_per_mtok: o,
        }
    }

    #[test]
    fn exact_beats_prefix_and_longest_prefix_wins() {
        let prices = [
            p("gpt-4o*", 2.5, 10.0),
            p("gpt-4o-mini*", 0.15, 0.6),
            p("gpt-4o-x", 1.0, 1.0),
        ];
        assert_eq!(
            price_for(&prices, "gpt-4o-mini-2024")
                .unwrap()
                .input_per_mtok,
            0.15
        );
        assert_eq!(
            price_for(&prices, "gpt-4o-2024").unwrap().input_per_mtok,
            2.5
        );
        assert_eq!(price_for(&prices, "gpt-4o-x").unwrap().input_per_mtok, 1.0);
        assert!(price_for(&prices, "llama").is_none());
        let c = cost(
            &prices,
            "gpt-4o",
            Usage {
                tokens_in: 1_000_000,
                tokens_out: 500_000,
            },
        );
        assert!((c - 7.5).abs() < 1e-9, "{c}");
        assert_eq!(
            cost(
                &prices,
                "local",
                Usage {
                    tokens_in: 5,
                    tokens_out: 5
                }
            ),
            0.0
        );
    }
}
