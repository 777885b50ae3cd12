"""The allow-list of tests/test_prose_numbers.py: per notebook, (snippet, reason) pairs.

A number inside one of these snippets is not a result of the lesson's code: a lesson or step
number, a formula's constant, a setting the reader is asked to try, a fact about number formats,
a citation. Results belong in asserts next to the prose, or in rendered Markdown, not here.
"""

SETTING = "a setting the reader is asked to try in the app, not a result"
CITATION = "bibliographic detail of a cited work"

ALLOWED = {
    "08-training-a-network.ipynb": [
        ("Reading time: about 30 minutes", "an estimate for the reader"),
        ("from epoch 0 (the untrained\nnetwork) to epoch 9", "the exercise's givens: the epochs of its list of costs"),
        ("Epochs 6, 7 and 8 bring no new low", "the epochs between the asserted best (5) and stop (8)"),
        ("has 50,890 of them", "the introduction's preview; computed and asserted in 'Counting parameters'"),
        ("minus 1 for the true class, minus 0 for the others", "the one-hot definition"),
        ("for $z > 0$ and 0 otherwise", "the definition of ReLU's derivative"),
        ("Repeat steps 2 and 3 until layer 1", "step numbers of the list above"),
        ("dZ[np.arange(b), y] -= 1", "code in the worked solution; check.output_delta tests it"),
        ("a mistake shows up as $10^{-3}$ or worse",
         "tests/test_nn.py::test_gradient_check_catches_a_wrong_gradient asserts > 1e-3"),
        ("Training uses 32-bit floats", "the float format"),
        ("on the 2-core machine this course", "the machine's description"),
        ("ran about 1.6 times faster than in float64, measured once",
         "measured once on one machine and said so; machine-dependent, not re-run on this page"),
        ("With $\\varepsilon = 10^{-6}$ they agree in their first 6 digits",
         "gradient_check's default eps, and what it implies for the digits that agree"),
        ("64-bit floats (16 digits)", "the float format's precision"),
        ("raise it to 0.1, then to 1", SETTING), ("Lower it to 0.0003", SETTING),
        ("Compare 4 and 256 with SGD", SETTING),
        ("Choose 128 hidden units, Adam, 60 epochs, patience 3", SETTING),
        ("Raise it to 0.03 and train again", SETTING),
        ("SGD 0.3 from $\\{0.03, 0.1, 0.3, 1\\}$ and Adam 0.003 from $\\{0.001, 0.003, 0.01, 0.03\\}$",
         "the grids the learning rates were tuned on beforehand (said so); not re-run on this page"),
        ("*Deep Learning Illustrated* has 50,890", "the summary repeats the asserted count"),
        ("in 64-bit floats, catches", "the float format"), ("runs happily in 32-bit floats", "the float format"),
        ("rate O(1/k²)", CITATION), ("Lecture 6.5", CITATION),
        ("ImageNet in 1 hour\", arXiv:1706.02677", CITATION),
    ],
}

ALLOWED["06-optimizers.ipynb"] = [
    ("Reading time: about 25 minutes", "an estimate for the reader"),
    ("Slide $\\beta$ from $0.5$ up to $0.98$", SETTING),
    ("Push SGD's learning rate to $10^{-1}$", SETTING),
    ("the best of 25 learning rates between\n   $10^{-6}$ and $1$", "the race app's tuning grid (course/apps/race.py), described"),
    ("Switch to **3-D surface**", "the name of a view"),
    ("A learning rate\n  of $10^{-3}$ is timid for Adam", "the race's default learning rate, a setting"),
    ("$(1-\\beta_2)^t = 0.001^t$", "the formula at beta2 = 0.999 (1 - 0.999 = 0.001)"),
    ("on the $k = 50$ bowl (dark is good", "the bowl of this section, a setting"),
    ("(900 runs", "9 trials times the 100 seeds set in the cell"),
    ("against a $4 \\times 4$ grid", "the grid for 16 trials, an input"),
    ("of the $4\\times4$ grid", "the grid for 16 trials, an input"),
    ("`Momentum(lr, beta)` | `SGD(params, lr=lr*(1-beta)", "the conversion formula, not a result"),
    ("`Nesterov(lr, beta)` | `SGD(params, lr=lr*(1-beta)", "the conversion formula, not a result"),
    ("defaults it to 0.99 (ours 0.9)", "documented defaults of torch.optim.RMSprop and course.optimizers.RMSprop"),
    ("runs each pair for 50 steps", "the comparison's length, set in course/checks/optimizers.py"),
    ("S = beta * S + (1 - beta) * dW**2", "code of the worked solution; check.rmsprop_update tests it"),
    ("with $\\beta_2 = 0.999$, what number", "the question's given"),
    ("$1 - 0.999^2 = 0.001999$, not $(1-0.999)^2 = 10^{-6}$",
     "worked solution; check.adam_correction tests it and the Adam section asserts both numbers"),
    ("by about a factor 3 per iteration", "the summary of the asserted factor of about 0.32 per step"),
]

ALLOWED["07-optimizers-in-depth.ipynb"] = [
    ("Reading time: about 30 minutes", "an estimate for the reader"),
    ("Raise $\\beta$ to $0.95$", SETTING),
    ("(or a hundred for $\\beta = 0.99$)", "1/(1 - 0.99) = 100 is the formula above at a stated beta"),
    ("Our `Momentum(lr=0.1, beta=0.9)` and torch's `SGD(lr=?, momentum=0.9)`", "the question's givens"),
    ("$0.1 \\times (1 - 0.9) = 0.01$", "worked solution; check.torch_momentum_lr tests the answer"),
]

ALLOWED["04-batch-size-and-gradient-noise.ipynb"] = [
    ("Reading time: about 20 minutes", "an estimate for the reader"),
    ("(50 houses, floor area standardized", "the data set's size, a setting"),
    ("for 300 batches", "the noise app's sample size, a setting"),
    ("slide $b$ from 1 up to 50", SETTING),
    ("so a\n  step with 32 examples takes little longer", "an illustration; the cell below measures it"),
    ("* **Start with $b = 32$.**", "Deep Learning Illustrated's advice, quoted"),
    ("$b = 32$ is a tiny\n  fraction of $m$", "the advice's batch size"),
    ("the noise is $\\sigma^2/32$: 32\n  times less", "the formula above at b = 32"),
    ("(16, 32, 64, ...)", "examples of powers of two"),
    ("32 to 64 is as big a change as 8 to\n  16", "examples of equal ratios"),
    ("with batches of 8,192 as well as with 256", "Goyal et al. (2017)'s reported batch sizes, cited"),
    ("$b' = 4b$: a batch **4 times** larger (and 4 times", "worked solution; check.noise_factor tests the answer"),
    ("(469\n  steps of 128, the last of 96, for 60,000 images)", "asserted in the first section's cell"),
    ("is almost 1, and the noise", "the correction's value for b much smaller than m, read off the formula"),
    ("Start near $b = 32$", "the rule of thumb above, repeated in the summary"),
]

ALLOWED["05-local-minima-basins-and-saddles.ipynb"] = [
    ("Reading time: about 15 minutes", "an estimate for the reader"),
    ("and 200 runs of mini-batch", "the escape app's setting (EscapeApp(seeds=200)), rendered where the results are"),
    ("of a 2-D landscape", "a dimension, not a result"),
    ("with curvature $c = 0.3$, a narrow notch of depth $d_1 = 2$ at $\\mu_1 = -1$ with width $s_1 = 0.1$, a\n"
     "wide valley of depth $d_2 = 1.5$ at $\\mu_2 = 1$ with width $s_2 = 0.55$, and shifts $\\delta_i$ spread\n"
     "with standard deviation 0.3", "the toy cost's constants, as set in batch_experiments.example_curves"),
    ("runs mini-batch SGD 200 times for each batch size (different shuffles, same\nstart $w = -1.5$, "
     "learning rate 0.15, 300 steps)", "the escape app's settings (EscapeApp defaults)"),
    ("(x^2 + y - 11)^2 + (x + y^2 - 7)^2", "the constants of Himmelblau's function"),
    ("from all 40,000 starts", "the 200 x 200 grid set in the cell (n=200)"),
    ("In our 64-example toy, 32 is half", "the toy's size and the advised batch, settings"),
    ("the toy's sweet spot, 8-16", "the rendered Goldilocks result, repeated"),
    ("staying at or below 128", "Deep Learning Illustrated's advice, quoted"),
    ("on our two-valley cost $b = 32$ of 64 examples", "the toy's settings; 'lost every run' is asserted below"),
    ("small batches of 32 to 512", "the AI Notes article's list, quoted"),
    ("128 of 60,000 images is a small batch, 32 of our 64 examples", "sizes of the two examples, settings"),
    ("ended within 0.1 of the global minimum", "the definition of 'settled' in batch_experiments.outcomes"),
    ("(here $b$ = 8-16 of 64, with $\\eta = 0.15$)", "the rendered Goldilocks result and its settings"),
]

ALLOWED["03-learning-rate.ipynb"] = [
    ("About 25 minutes", "an estimate for the reader"),
    ("| below 0.5 | between 0.5 and 1 |", "the table's thresholds; the cell after the app checks regime() against them"),
    ("| from 0.5 up to 1 | between 0 and 0.5 |", "the table's thresholds; checked after the app"),
    ("shrink the distance by less than half", "the table's threshold in words"),
    ("cover at least half of the distance", "the table's threshold in words"),
    ("to within $10^{-6}$, the rounding of a slider", "lr_experiments._EXACT_TOL, documented in regime()"),
    ("Set $\\eta$ near $0.1$ and press **Play**", SETTING),
    ("then $\\eta = 2.5$: oscillating", SETTING),
    ("Now set $\\eta$ near $0.6$ and raise the **curvature** from 1 to 2, then to 4", SETTING),
    ("$\\eta = 1/4 = 0.25$", "worked solution; check.one_step_lr tests the answer"),
    ("converged\nin the sense above, $|w_k| \\le 10^{-3} |w_0|$", "the definition of converged, set above"),
    ("to begin with about 0.01 or 0.001", "Deep Learning Illustrated's advice, quoted"),
    ("calls 0.001 usual", "Algorithmia's article, quoted"),
    ("between 0.1 and 1, and decay", "the AI Notes article's advice, quoted"),
    ("while 0.001 would creep", "the quoted advice's value, compared with 1/c"),
    ("$0.001, 0.01, 0.1$ are the interesting\n  candidates, $0.010$ and $0.012$", "examples of a log-scale search"),
    ("over 20 steps, then the cosine", "make_schedule's warmup_steps default"),
    ("with 200 houses, mini-batches of 4 and 10 epochs (500 steps)", "the schedule app's settings"),
    ("the half-life that works for 500 steps is wrong\n  for 50 or for 50,000", "illustrative lengths of training"),
    ("(the sources say\n  0.001 to 0.01 for a constant rate, 0.1 to 1 with decay)", "the sources' advice, quoted"),
]

ALLOWED["02-gradient-descent.ipynb"] = [
    ("Reading time: about 25 minutes", "an estimate for the reader"),
    ("a few times with $\\eta = 0.1$ on the bowl", SETTING),
    ("Set $\\eta$ to about 0.9 and press **Play**", SETTING),
    ("Set $\\eta$ above 1: every jump", SETTING),
    ("$\\eta \\approx 0.05$, and Play", SETTING),
    ("but\n  still shrinks toward 0", "the minimum of w^2 is at 0 (definition)"),
    ("(section 6 explains why)", "a section number"),
    ("Each step above used all 50 houses", "the data set's size, set in the cell above"),
    ("powers of two such as 32, 64 or 128", "typical batch sizes, quoted from the sources"),
    ("Full batch with $\\eta = 0.5$: one step lands", "a setting; one step at 1/curvature is derived below"),
    ("$m = 3$: the training converges", SETTING),
    ("Raise $\\eta$ to $10^{-4}$: it diverges", SETTING),
    ("in a few dozen iterations with $\\eta = 0.1$", SETTING),
    ("$x = (1, 2)$ with prices $y = (3, 5)$", "the exercise's givens"),
    ("the learning rate is $\\eta = 0.1$. Compute", "the exercise's given"),
    ("return np.array([2 * np.mean(r * x), 2 * np.mean(r)])", "code of the worked solution; check.cost_gradient tests it"),
]

ALLOWED["01-cost-functions.ipynb"] = [
    ("Reading time: about 20 minutes", "an estimate for the reader"),
    ("being\n100 thousand off is 100 times worse than being 10 off", "arithmetic of the square: (100/10)^2"),
    ("the number of houses $m$ to 3", SETTING),
    ("set $m$ to 500 and resample", SETTING),
    ("raising the slope by 1\n  raises a typical prediction by about 130 thousand, and lowering the intercept by 130",
     "the consequence of the asserted mean floor area of about 130 m²"),
    ("a width off by 0.05 costs the same on a car", "an illustration with made-up widths"),
    ("car 0.9 wide", "an illustration with made-up widths"),
    ("ground-truth line $\\hat y = 3x + 50$ on these three houses", "the exercise's givens (the course's true line)"),
    ("return (y - y_hat) ** 2", "code of the worked solution; check.squared_loss tests it"),
    ("Three houses of 50, 100 and 150 m² sold for 210, 330 and 520\nthousand", "the exercise's givens"),
    ("with the noise kept at 40", SETTING),
]
ALLOWED["00-start-here.ipynb"] = []

EXERCISE_09 = ("an exercise's givens or its worked solution: course/checks/inside_network.py computes "
               "the answer and tests/test_checks_inside_network.py checks it")
ALLOWED["09-inside-a-real-network.ipynb"] = [
    ("About 25 minutes", "the reading time"),
    ('and $a = 0.5$ means "half of each neuron', "an example of the definition just given"),
    ("one hidden neuron have norm 3", EXERCISE_09), ("for that neuron has norm 12", EXERCISE_09),
    ("It must end with norm 3", EXERCISE_09), ("$3 / 12 = 0.25$", EXERCISE_09),
    ("In 2,410 dimensions", "the parameter count, asserted at the top of the lesson (n_params == 2410)"),
    ("Goyal et al. trained with\nbatches of 8,192 on over a million images", CITATION),
    ("with batches of 32 at the learning rate 0.1", EXERCISE_09), ("batches of 128. What", EXERCISE_09),
    ("The batch is $128 / 32 = 4$ times larger, so the rate is $4 \\times 0.1 = 0.4$", EXERCISE_09),
    ("and 128 at 0.4 does as well as 32 at 0.1", "the grid's diagonal, asserted in the cell above the exercise"),
    ("SGD with the learning rate 0.5", EXERCISE_09),
    ("Clipping scales the gradient to norm 2", EXERCISE_09),
    ("$0.5 \\times 2 = 1$", EXERCISE_09), ("$0.5 \\times 8 = 4$", EXERCISE_09),
    ("arXiv:1706.02677", CITATION),
]
