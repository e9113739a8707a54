//! Column widths of a data table, as HTML's automatic table layout gives them: each column's
//! narrowest width (its longest unbreakable word) and widest (its longest cell on one line),
//! the measure shared out between them. The PDF and the DOCX both size their columns here, so a
//! table has the same proportions in each.

/// The widths of columns whose narrowest and widest content widths are `min` and `max` (the
/// same length, in any one unit), over a measure `measure` in that unit. The widths always
/// fill the measure:
/// - when every column fits on one line, the room left over is shared in proportion to each
///   column's widest content;
/// - when not, each column gets its narrowest width and the rest of the measure goes to the
///   columns that would wrap, in proportion to how much wider they want to be;
/// - when even the narrowest widths overflow, they are scaled down to the measure (the caller
///   sets the type smaller or breaks words first).
pub fn distribute(min: &[f32], max: &[f32], measure: f32) -> Vec<f32> {
    let n = min.len().min(max.len());
    if n == 0 {
        return Vec::new();
    }
    let min: Vec<f32> = min[..n].iter().map(|w| w.max(0.0)).collect();
    let max: Vec<f32> = (0..n).map(|i| max[i].max(min[i])).collect();
    let sum_min: f32 = min.iter().sum();
    let sum_max: f32 = max.iter().sum();
    let even = measure / n as f32;
    if sum_max <= measure {
        if sum_max <= f32::EPSILON {
            return vec![even; n];
        }
        return max.iter().map(|w| w * measure / sum_max).collect();
    }
    if sum_min <= measure {
        let room = measure - sum_min;
        let want = sum_max - sum_min;
        return (0..n)
            .map(|i| min[i] + (max[i] - min[i]) * room / want)
            .collect();
    }
    min.iter().map(|w| w * measure / sum_min).collect()
}

#[cfg(test)]
mod tests {
    use super::distribute;

    fn close(a: &[f32], b: &[f32]) -> bool {
        a.len() == b.len() && a.iter().zip(b).all(|(x, y)| (x - y).abs() < 1e-3)
    }

    #[test]
    fn columns_that_fit_share_the_room_in_proportion_to_their_content() {
        let w = distribute(&[10.0, 10.0], &[20.0, 60.0], 160.0);
        assert!(close(&w, &[40.0, 120.0]), "{w:?}");
    }

    #[test]
    fn a_wrapping_column_takes_the_room_its_neighbours_do_not_need() {
        // Column 0 wants 30, column 1 wants 300 but can go down to 50: 100 wide in all.
        let w = distribute(&[30.0, 50.0], &[30.0, 300.0], 100.0);
        assert!(close(&w, &[30.0, 70.0]), "{w:?}");
        assert!((w.iter().sum::<f32>() - 100.0).abs() < 1e-3);
    }

    #[test]
    fn narrowest_widths_that_overflow_are_scaled_to_the_measure() {
        let w = distribute(&[100.0, 300.0], &[100.0, 300.0], 200.0);
        assert!(close(&w, &[50.0, 150.0]), "{w:?}");
    }

    #[test]
    fn empty_columns_share_the_measure_evenly() {
        assert!(close(&distribute(&[0.0; 4], &[0.0; 4], 100.0), &[25.0; 4]));
        assert!(distribute(&[], &[], 100.0).is_empty());
    }
}
