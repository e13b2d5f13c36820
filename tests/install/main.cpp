// A program outside Kiln's tree, built against the installed package.
#include <kiln/kiln.h>

#include <iostream>

int main() {
  kiln::set_num_threads(1);
  if (kiln::get_num_threads() != 1)
    return 1;
  try {
    kiln::set_num_threads(0);
    return 1; // must have thrown
  } catch (const kiln::Error &e) {
    std::cout << "caught: " << e.what() << "\n";
  }
  std::cout << kiln::show_config();
  return kiln::version().empty() ? 1 : 0;
}
